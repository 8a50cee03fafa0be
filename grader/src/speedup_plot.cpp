// Grader: the speedup chart (see speedup_plot.hpp).
#include "speedup_plot.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>

#include "svg_text.hpp"

namespace parlab::grader {
namespace {

constexpr double kWidth = 640, kHeight = 400;
constexpr double kLeft = 60, kRight = 150, kTop = 40, kBottom = 50;  // margins: axes, legend
constexpr std::array<const char*, 6> kColours = {"#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b"};

struct Axes {
  double max_workers, max_speedup;
  double x(double workers) const { return kLeft + (kWidth - kLeft - kRight) * workers / max_workers; }
  double y(double speedup) const { return kHeight - kBottom - (kHeight - kTop - kBottom) * speedup / max_speedup; }
};

std::string polyline(const Axes& axes, const std::vector<ScalePoint>& points, bool ideal) {
  std::string coordinates;
  for (const auto& p : points) {
    coordinates += fmt::format("{:.1f},{:.1f} ", axes.x(p.workers), axes.y(ideal ? p.ideal : p.speedup));
  }
  if (!coordinates.empty()) coordinates.pop_back();
  return coordinates;
}

}  // namespace

std::string speedup_svg(const std::string& title, const std::vector<ScaleSeries>& series, unsigned cores) {
  double max_workers = std::max(2u, cores);
  double max_speedup = 1;
  for (const auto& s : series) {
    for (const auto& p : s.points) {
      max_workers = std::max<double>(max_workers, p.workers);
      max_speedup = std::max({max_speedup, p.speedup, p.ideal});
    }
  }
  max_speedup = std::ceil(max_speedup * 1.1 * 2) / 2;  // headroom, rounded to a half
  const Axes axes{max_workers, max_speedup};

  std::string svg = fmt::format(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{0}\" height=\"{1}\" viewBox=\"0 0 {0} {1}\" "
      "font-family=\"sans-serif\" font-size=\"12\">\n"
      "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n"
      "<text x=\"{2}\" y=\"22\" font-size=\"14\" font-weight=\"bold\">{3}</text>\n",
      kWidth, kHeight, kLeft, xml_escaped(title));

  // Axes, ticks and grid.
  const double x0 = axes.x(0), y0 = axes.y(0), x1 = axes.x(max_workers), y1 = axes.y(max_speedup);
  svg += fmt::format("<path d=\"M{:.1f},{:.1f} V{:.1f} H{:.1f}\" stroke=\"black\" fill=\"none\"/>\n", x0, y1, y0, x1);
  const double worker_step = std::max(1.0, tick_step(max_workers, 8));  // no half workers
  for (double w = worker_step; w <= max_workers + 1e-9; w += worker_step) {
    svg += fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\" text-anchor=\"middle\">{}</text>\n", axes.x(w), y0 + 16, w);
  }
  const double speedup_step = tick_step(max_speedup, 6);
  for (double s = speedup_step; s <= max_speedup + 1e-9; s += speedup_step) {
    svg += fmt::format(
        "<line x1=\"{0:.1f}\" y1=\"{1:.1f}\" x2=\"{2:.1f}\" y2=\"{1:.1f}\" stroke=\"#ddd\"/>\n"
        "<text x=\"{3:.1f}\" y=\"{4:.1f}\" text-anchor=\"end\">{5}x</text>\n",
        x0, axes.y(s), x1, x0 - 6, axes.y(s) + 4, s);
  }
  svg += fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\" text-anchor=\"middle\">workers</text>\n", (x0 + x1) / 2,
                     kHeight - 12);
  svg += fmt::format(
      "<text transform=\"translate(16,{:.1f}) rotate(-90)\" text-anchor=\"middle\">speedup over the baseline</text>\n",
      (y0 + y1) / 2);

  // Where the cores run out: more workers past this line share the same cores.
  svg += fmt::format(
      "<line x1=\"{0:.1f}\" y1=\"{1:.1f}\" x2=\"{0:.1f}\" y2=\"{2:.1f}\" stroke=\"#999\" stroke-dasharray=\"2,3\"/>\n"
      "<text x=\"{0:.1f}\" y=\"{3:.1f}\" text-anchor=\"middle\" fill=\"#666\">{4} cores</text>\n",
      axes.x(cores), y0, y1, y1 - 4, cores);

  // The ideal, then each measured series, with a legend on the right.
  double legend_y = kTop + 10;
  const double legend_x = kWidth - kRight + 12;
  const auto ideal_series = std::find_if(series.begin(), series.end(), [](const ScaleSeries& s) {
    return std::any_of(s.points.begin(), s.points.end(), [](const ScalePoint& p) { return p.ideal > 0; });
  });
  if (ideal_series != series.end()) {
    svg += fmt::format("<polyline points=\"{}\" fill=\"none\" stroke=\"#555\" stroke-dasharray=\"6,4\"/>\n",
                       polyline(axes, ideal_series->points, true));
    svg += fmt::format(
        "<line x1=\"{0:.1f}\" y1=\"{1:.1f}\" x2=\"{2:.1f}\" y2=\"{1:.1f}\" stroke=\"#555\" stroke-dasharray=\"6,4\"/>\n"
        "<text x=\"{3:.1f}\" y=\"{4:.1f}\">ideal</text>\n",
        legend_x, legend_y, legend_x + 24, legend_x + 30, legend_y + 4);
    legend_y += 20;
  }
  for (std::size_t i = 0; i < series.size(); ++i) {
    const char* colour = kColours[i % kColours.size()];
    svg += fmt::format("<polyline points=\"{}\" fill=\"none\" stroke=\"{}\" stroke-width=\"2\"/>\n",
                       polyline(axes, series[i].points, false), colour);
    for (const auto& p : series[i].points) {
      svg += fmt::format(
          "<circle cx=\"{:.1f}\" cy=\"{:.1f}\" r=\"4\" fill=\"{}\"><title>{} workers: {:.2f}x</title></circle>\n",
          axes.x(p.workers), axes.y(p.speedup), colour, p.workers, p.speedup);
    }
    svg += fmt::format(
        "<line x1=\"{0:.1f}\" y1=\"{1:.1f}\" x2=\"{2:.1f}\" y2=\"{1:.1f}\" stroke=\"{3}\" stroke-width=\"2\"/>\n"
        "<text x=\"{4:.1f}\" y=\"{5:.1f}\">{6}</text>\n",
        legend_x, legend_y, legend_x + 24, colour, legend_x + 30, legend_y + 4,
        xml_escaped(series[i].name.empty() ? "measured" : series[i].name));
    legend_y += 20;
  }
  svg += "</svg>\n";
  return svg;
}

}  // namespace parlab::grader
