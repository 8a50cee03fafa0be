// Grader: a network of the grader's own, with loopback only, for the code it runs.
//
// A submission has no business reaching the outside: every network exercise talks to the
// fixture server on 127.0.0.1, which the grader starts itself. So before it starts anything,
// the grader moves into a network namespace of its own (as root directly; otherwise inside a
// user namespace that maps the user to itself) and brings its loopback up. The fixture server
// and every child inherit it: loopback works, anything else is unreachable. Where the kernel
// refuses (a container without the capability, user namespaces turned off), the grader goes on
// in the machine's network and the report says so.
#pragma once

#include <string>

namespace parlab::grader {

// Call on the main thread, before any other thread exists (a user namespace needs that, and a
// namespace is inherited only by threads and processes started after the move). Returns ""
// when the move worked, otherwise why not, in a phrase. Later calls return the first answer.
std::string enter_private_network();

// What enter_private_network() answered, for the report.
std::string private_network_problem();
bool private_network_entered();

}  // namespace parlab::grader
