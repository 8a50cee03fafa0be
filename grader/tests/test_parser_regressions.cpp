// Test: the fuzzers' properties in the ordinary build. Every seed (grader/fuzz/seeds/<target>/)
// and every input a fuzzer ever found (grader/fuzz/regressions/<target>/) goes through its parser
// and the same checks the fuzzer makes (grader/fuzz/parser_properties.hpp).
//
// Seeds are real inputs, so their parser must accept them. A found input's name says what its
// parser must do with it now: `accept_<what>` or `reject_<what>` (refuse it the documented way:
// the documented exception, or no value). A broken property fails either way.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "parser_properties.hpp"

namespace fs = std::filesystem;
using parlab::fuzz::Checked;

namespace {

const fs::path kFuzzDir = PARLAB_FUZZ_DIR;

struct Target {
  const char* name;  // the folder under seeds/ and regressions/, and the fuzzer's name
  Checked (*check)(std::string_view);
};

const Target kTargets[] = {
    {"manifest", parlab::fuzz::check_manifest},           {"gtest_report", parlab::fuzz::check_gtest_report},
    {"gtest_list", parlab::fuzz::check_gtest_list},       {"bench_line", parlab::fuzz::check_bench_line},
    {"fixture_stats", parlab::fuzz::check_fixture_stats},
};

// The files of `dir`, sorted; none when it does not exist.
std::vector<fs::path> files_in(const fs::path& dir) {
  std::vector<fs::path> files;
  if (fs::is_directory(dir)) {
    for (const auto& entry : fs::directory_iterator(dir)) {
      if (entry.is_regular_file()) files.push_back(entry.path());
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

std::string read(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}

class ParserRegressions : public ::testing::TestWithParam<Target> {};

}  // namespace

TEST_P(ParserRegressions, SeedsAreAcceptedWithEveryPropertyHeld) {
  const Target& target = GetParam();
  const std::vector<fs::path> seeds = files_in(kFuzzDir / "seeds" / target.name);
  ASSERT_FALSE(seeds.empty()) << "no seeds for " << target.name << ": the fuzzer would start from nothing";
  for (const fs::path& seed : seeds) {
    const Checked checked = target.check(read(seed));
    EXPECT_TRUE(checked.accepted) << seed << ": a real input refused";
    EXPECT_EQ(checked.broken, "") << seed;
  }
}

TEST_P(ParserRegressions, FoundInputsGetTheirDocumentedAnswer) {
  const Target& target = GetParam();
  for (const fs::path& input : files_in(kFuzzDir / "regressions" / target.name)) {
    const std::string stem = input.filename().string();
    const bool accept = stem.starts_with("accept_");
    ASSERT_TRUE(accept || stem.starts_with("reject_")) << input << ": name it accept_<what> or reject_<what>";
    const Checked checked = target.check(read(input));
    EXPECT_EQ(checked.accepted, accept) << input << (accept ? ": refused" : ": accepted");
    EXPECT_EQ(checked.broken, "") << input;
  }
}

INSTANTIATE_TEST_SUITE_P(Fuzzed, ParserRegressions, ::testing::ValuesIn(kTargets),
                         [](const ::testing::TestParamInfo<Target>& info) { return std::string(info.param.name); });
