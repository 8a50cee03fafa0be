// Grader: the picture `grader scale` draws, speedup against workers beside the ideal line, as
// a standalone SVG a browser or a Markdown page shows. Pure: numbers in, text out.
#pragma once

#include <string>
#include <vector>

namespace parlab::grader {

struct ScalePoint {
  unsigned workers = 1;
  double seconds = 0;  // median wall time of the student's runs
  double speedup = 0;  // the baseline's median over `seconds`
  double ideal = 0;    // the best this many workers allow here; 0: none (a fixed bar)
};

// One measured curve: an exercise's workload, or one of its variants.
struct ScaleSeries {
  std::string name;
  std::vector<ScalePoint> points;  // in increasing order of workers
};

// The chart: one polyline with dots per series, the ideal as a dashed line (from the first
// series that has one), and a vertical mark at `cores` where adding workers stops adding cores.
std::string speedup_svg(const std::string& title, const std::vector<ScaleSeries>& series, unsigned cores);

}  // namespace parlab::grader
