// Grader: submission archives (see submission.hpp).
#include "submission.hpp"

#include <fmt/chrono.h>
#include <fmt/format.h>

#include <chrono>
#include <fstream>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "digest.hpp"
#include "report_formats.hpp"
#include "supervisor.hpp"
#include "tree_build.hpp"
#include "whole_file.hpp"

namespace parlab::grader {
namespace fs = std::filesystem;

namespace {

constexpr const char* kManifestName = "SUBMISSION.json";

// A regular file, not a link: an archive's link could point anywhere on the grader's machine.
bool plain_file(const fs::path& path) {
  std::error_code ec;
  return fs::symlink_status(path, ec).type() == fs::file_type::regular;
}

}  // namespace

bool is_submission_archive(const fs::path& path) {
  const std::string name = path.filename().string();
  return name.ends_with(".tar.gz") || name.ends_with(".tgz");
}

fs::path exercises_folder_of(const fs::path& given) {
  if (fs::is_directory(given / "exercises") && fs::is_regular_file(given / "meson.build")) return given / "exercises";
  return given;
}

int make_submission(const SubmitOptions& options) {
  const auto all = load_all_manifests(options.kit / "exercises");
  const fs::path tree = exercises_folder_of(options.tree);
  const fs::path scratch = make_scratch_dir("parlab-submit");
  const fs::path stage = scratch / "files";
  nlohmann::json files = nlohmann::json::object();
  std::vector<std::string> missing;
  for (const Exercise& ex : all) {
    for (const std::string& file : ex.student_files) {
      const fs::path relative = ex.dir / file;
      if (!plain_file(tree / relative)) {
        missing.push_back(fmt::format("{} ({})", relative.string(), ex.id));
        continue;
      }
      const std::string bytes = read_file(tree / relative);
      fs::create_directories((stage / relative).parent_path());
      std::ofstream(stage / relative, std::ios::binary) << bytes;
      files[relative.generic_string()] = sha1_hex(bytes);
    }
  }
  std::error_code ignored;
  if (files.empty()) {
    fmt::print(stderr, "grader submit: no student file found under {}\n", tree.string());
    fs::remove_all(scratch, ignored);
    return 2;
  }
  const auto now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  const nlohmann::json manifest = {
      {"format", 1}, {"made", fmt::format("{:%Y-%m-%dT%H:%M:%SZ}", fmt::gmtime(now))}, {"files", files}};
  write_atomically((stage / kManifestName).string(), manifest.dump(2) + "\n");

  // tar writes beside the target, and the rename makes it whole at once.
  const fs::path out = fs::absolute(options.out);
  fs::create_directories(out.parent_path());
  const fs::path partial = out.string() + ".partial";
  const ChildResult tar = run_tool(
      "tar", {"-czf", partial.string(), "--owner=0", "--group=0", "--numeric-owner", "-C", stage.string(), "."},
      scratch / "tar", std::chrono::seconds(120));
  fs::remove_all(scratch, ignored);
  if (!tar.ok()) {
    fs::remove(partial, ignored);
    fmt::print(stderr, "grader submit: tar failed: {}\n{}", tar.describe(), tar.stderr_text(2000));
    return 2;
  }
  fs::rename(partial, out);
  fmt::print("packed {} student files into {}\n", files.size(), out.string());
  if (!missing.empty()) {
    fmt::print("not found, so not handed in: {}\n", fmt::join(missing, ", "));
  }
  return 0;
}

fs::path unpack_submission(const fs::path& archive, const fs::path& into) {
  if (!fs::is_regular_file(archive)) throw std::runtime_error(fmt::format("{}: no such file", archive.string()));
  std::error_code ignored;
  fs::remove_all(into, ignored);
  fs::create_directories(into);
  // GNU tar refuses members with "..", and strips a leading "/"; --no-same-owner and
  // --no-same-permissions keep the grader's own umask and owner on what it unpacks.
  const ChildResult tar = run_tool(
      "tar", {"-xzf", fs::absolute(archive).string(), "-C", into.string(), "--no-same-owner", "--no-same-permissions"},
      into.string() + "-tar", std::chrono::seconds(120));
  if (!tar.ok()) {
    throw std::runtime_error(fmt::format("{} is not a submission archive that tar can read ({}): {}", archive.string(),
                                         tar.describe(), tar.stderr_text(500)));
  }
  const fs::path manifest_path = into / kManifestName;
  if (!plain_file(manifest_path)) {
    throw std::runtime_error(fmt::format("{} holds no {}: make it with `make submit`, or grade its folder",
                                         archive.string(), kManifestName));
  }
  const nlohmann::json manifest = nlohmann::json::parse(read_file(manifest_path), nullptr, false);
  if (!manifest.is_object() || !manifest.contains("files") || !manifest["files"].is_object()) {
    throw std::runtime_error(
        fmt::format("{} in {} is not the JSON `make submit` writes", kManifestName, archive.string()));
  }
  for (const auto& [path, hash] : manifest["files"].items()) {
    const fs::path file = into / path;
    if (!plain_file(file)) {
      throw std::runtime_error(fmt::format("{} lists {}, which the archive does not hold", kManifestName, path));
    }
    if (!hash.is_string() || sha1_hex(read_file(file)) != hash.get<std::string>()) {
      throw std::runtime_error(
          fmt::format("{} in {} does not match its hash: the archive was damaged or changed after `make submit`", path,
                      archive.string()));
    }
  }
  return into;
}

}  // namespace parlab::grader
