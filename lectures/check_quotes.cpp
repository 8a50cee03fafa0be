// Lecture tool: checks that every C++ quote in a lecture's notes is a verbatim excerpt of a file.
//
// Usage: check_quotes <notes.md> <kit root>
// A quote is a ```cpp fence whose first line is a comment naming a file relative to the kit
// root, e.g. "// lectures/snippets/l01/racy_counter.cpp"; the rest of the fence must appear in
// that file as consecutive whole lines. Prints one line per quote; exits 0 when all match,
// 1 when one does not (or names no file), 2 when a file cannot be read.
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace {

std::vector<std::string> read_lines(const std::filesystem::path& path, bool& found) {
  std::ifstream in(path);
  found = static_cast<bool>(in);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

bool contains_run(const std::vector<std::string>& file, const std::vector<std::string>& run) {
  return !run.empty() && std::search(file.begin(), file.end(), run.begin(), run.end()) != file.end();
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: check_quotes <notes.md> <kit root>\n");
    return 2;
  }
  const std::filesystem::path root = argv[2];
  bool found = false;
  const std::vector<std::string> notes = read_lines(argv[1], found);
  if (!found) {
    std::fprintf(stderr, "check_quotes: cannot read %s\n", argv[1]);
    return 2;
  }

  int quotes = 0, bad = 0;
  for (std::size_t i = 0; i < notes.size(); ++i) {
    if (notes[i] != "```cpp") continue;
    const std::size_t opened_at = i + 1;  // 1-based line of the fence, for messages
    std::vector<std::string> body;
    for (++i; i < notes.size() && notes[i] != "```"; ++i) body.push_back(notes[i]);
    ++quotes;
    if (body.empty() || body[0].rfind("// ", 0) != 0) {
      std::printf("line %zu: a C++ quote must open with a comment naming its file\n", opened_at);
      ++bad;
      continue;
    }
    const std::string name = body[0].substr(3);
    const std::vector<std::string> excerpt(body.begin() + 1, body.end());
    const std::vector<std::string> file = read_lines(root / name, found);
    if (!found) {
      std::printf("line %zu: cannot read %s\n", opened_at, name.c_str());
      return 2;
    }
    const bool ok = contains_run(file, excerpt);
    std::printf("line %zu: %s, %zu lines: %s\n", opened_at, name.c_str(), excerpt.size(),
                ok ? "matches" : "NOT in the file as written");
    bad += ok ? 0 : 1;
  }
  std::printf("%d quotes, %d not matching\n", quotes, bad);
  return bad == 0 && quotes > 0 ? 0 : 1;
}
