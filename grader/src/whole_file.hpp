// Grader: a file read or written whole, for the small files the grader keeps (reports, the
// gradebook, a submission's manifest, the kit's README, build stamps).
#pragma once

#include <filesystem>
#include <string>

namespace parlab::grader {

// The file's bytes; empty when it cannot be read (a missing stamp is simply "not built yet").
std::string read_file(const std::filesystem::path& path);

// Writes `text` to `path` whole or not at all (a temporary file renamed over it), so a reader
// never sees half a report; throws std::runtime_error when it cannot.
void write_atomically(const std::string& path, const std::string& text);

}  // namespace parlab::grader
