// Grader: handing work in, and taking it back in every shape a course meets.
//
// `grader submit` (make submit) packs exactly the student files of every exercise, as the
// manifests list them, into one .tar.gz with SUBMISSION.json beside them: each file's path
// under exercises/ and its SHA-1, so the grader can tell a damaged archive from a submission.
// `grader run --tree` and `grader batch` take that archive, a folder shaped like exercises/, or
// a clone of the student's repository (a folder holding exercises/ and meson.build).
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "manifest.hpp"

namespace parlab::grader {

struct SubmitOptions {
  std::filesystem::path kit;   // the kit's source root (for the manifests)
  std::filesystem::path tree;  // the folder shaped like exercises/ to pack
  std::filesystem::path out;   // the archive to write (.tar.gz)
};

// Packs the archive and prints what went in and what is missing. Returns the exit code: 0, or
// 2 when nothing could be packed or written.
int make_submission(const SubmitOptions& options);

// True when `path` names a submission archive (.tar.gz or .tgz).
bool is_submission_archive(const std::filesystem::path& path);

// Unpacks `archive` into `into` (emptied first) and checks every file against SUBMISSION.json;
// returns the folder shaped like exercises/. Throws std::runtime_error saying what is wrong:
// not an archive, no SUBMISSION.json, a file that does not match its hash.
std::filesystem::path unpack_submission(const std::filesystem::path& archive, const std::filesystem::path& into);

// The folder shaped like exercises/ inside `given`: `given` itself, or its exercises/ when it
// is a clone of the kit (a student's repository).
std::filesystem::path exercises_folder_of(const std::filesystem::path& given);

}  // namespace parlab::grader
