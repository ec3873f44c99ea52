#include "bench/figures.h"

#include <sys/utsname.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <nlohmann/json.hpp>

namespace attune::bench {
namespace {

std::string CpuModel() {
  std::ifstream cpuinfo("/proc/cpuinfo");
  std::string line;
  while (std::getline(cpuinfo, line)) {
    if (line.rfind("model name", 0) != 0) continue;
    const size_t colon = line.find(':');
    if (colon == std::string::npos) break;
    const size_t start = line.find_first_not_of(' ', colon + 1);
    return start == std::string::npos ? "" : line.substr(start);
  }
  return "unknown";
}

// Enough digits to compare runs, without pretending to a precision a shared machine lacks.
std::string FormatNumber(double value) {
  char text[32];
  if (value >= 1000) {
    std::snprintf(text, sizeof text, "%.0f", value);
  } else {
    std::snprintf(text, sizeof text, "%.4g", value);
  }
  return text;
}

std::string FormatTarget(const Figure& figure) {
  return figure.target ? "<= " + FormatNumber(*figure.target) : "-";
}

std::string FormatMet(const Figure& figure) {
  const std::optional<bool> met = figure.met();
  if (!met) return "-";
  return *met ? "yes" : "NO";
}

}  // namespace

std::optional<bool> Figure::met() const {
  if (!target) return std::nullopt;
  return value <= *target;
}

Machine DescribeMachine() {
  Machine machine;
  machine.cores = ::sysconf(_SC_NPROCESSORS_ONLN);
  machine.cpu = CpuModel();
  utsname names{};
  machine.kernel = ::uname(&names) == 0 ? names.release : "unknown";
  return machine;
}

void PrintMachine(const Machine& machine, std::ostream& out) {
  out << "machine: " << machine.cores << " cores, " << machine.cpu << ", Linux " << machine.kernel
      << "\n";
}

void PrintTable(const std::vector<Figure>& figures, std::ostream& out) {
  out << std::left << std::setw(32) << "figure" << std::right << std::setw(12) << "value"
      << "  " << std::left << std::setw(7) << "unit" << std::setw(12) << "target"
      << "met\n";
  for (const Figure& figure : figures) {
    out << std::left << std::setw(32) << figure.name << std::right << std::setw(12)
        << FormatNumber(figure.value) << "  " << std::left << std::setw(7) << figure.unit
        << std::setw(12) << FormatTarget(figure) << FormatMet(figure) << "\n";
  }
  out << std::right;
}

Status WriteJson(const Machine& machine, const std::vector<Figure>& figures,
                 const std::string& path) {
  // Ordered, so the file reads like the table: name, value, unit, target, met.
  nlohmann::ordered_json list = nlohmann::ordered_json::array();
  for (const Figure& figure : figures) {
    const std::optional<bool> met = figure.met();
    list.push_back({{"name", figure.name},
                    {"value", figure.value},
                    {"unit", figure.unit},
                    {"target", figure.target ? nlohmann::ordered_json(*figure.target) : nullptr},
                    {"met", met ? nlohmann::ordered_json(*met) : nullptr}});
  }
  const nlohmann::ordered_json document = {
      {"machine", {{"nproc", machine.cores}, {"cpu", machine.cpu}, {"kernel", machine.kernel}}},
      {"figures", std::move(list)}};
  std::error_code error;
  std::filesystem::create_directories(std::filesystem::path(path).parent_path(), error);
  std::ofstream file(path, std::ios::trunc);
  file << document.dump(2) << "\n";
  file.close();
  if (!file) return Status::IoError("cannot write " + path);
  return Status::Ok();
}

}  // namespace attune::bench
