// The benchmark's output: named figures beside the targets of issue 5, printed as a table for a
// person and written as JSON for docs/performance.md and for comparing runs. Every target is an
// upper bound ("at most"); a figure without one is reported for context only.
#ifndef ATTUNE_BENCH_FIGURES_H_
#define ATTUNE_BENCH_FIGURES_H_

#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "base/status.h"

namespace attune::bench {

struct Figure {
  std::string name;
  double value = 0;
  std::string unit;
  std::optional<double> target = std::nullopt;  // met when value <= target

  std::optional<bool> met() const;
};

// The machine a run came from: figures from different machines are not comparable.
struct Machine {
  long cores = 0;
  std::string cpu;     // "model name" from /proc/cpuinfo
  std::string kernel;  // uname release
};

Machine DescribeMachine();

void PrintMachine(const Machine& machine, std::ostream& out);
void PrintTable(const std::vector<Figure>& figures, std::ostream& out);

// {"machine": {...}, "figures": [{"name", "value", "unit", "target", "met"}, ...]}, with null
// target and met for figures without a target. Creates the file's directory if needed.
Status WriteJson(const Machine& machine, const std::vector<Figure>& figures,
                 const std::string& path);

}  // namespace attune::bench

#endif  // ATTUNE_BENCH_FIGURES_H_
