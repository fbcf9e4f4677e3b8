// Importing a large log: 50 metric keys × 20,000 steps = 1,000,000 scalar points, as a verl
// metrics JSONL (json.dumps style, one line per step) and as a TensorBoard event file (one
// add_scalar record per key and step, as torch.utils.tensorboard writes them), each read and
// written into a fresh run database. The inputs are written once into ./bench-import (outside
// the timing); run on the disk run databases live on:
//
//   ./bench_import_log --benchmark_repetitions=5 --benchmark_report_aggregates_only=true
//
// Counter: points_per_s (scalar points imported per second, whole import: read, parse, map,
// store).
#include <benchmark/benchmark.h>

#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>

#include "imports/crc32c.h"
#include "imports/run_import.h"

namespace tinyseek::imports {
namespace {

namespace fs = std::filesystem;

constexpr int kSteps = 20000, kKeys = 50;

fs::path bench_dir() {
    static const fs::path dir = [] {
        const fs::path d = fs::absolute("bench-import");
        fs::remove_all(d);
        fs::create_directories(d / "tb");
        return d;
    }();
    return dir;
}

std::string key(int k) {
    return k < 10 ? "actor/metric_" + std::to_string(k) : "perf/metric_" + std::to_string(k);
}

const fs::path& verl_log() {
    static const fs::path path = [] {
        const fs::path p = bench_dir() / "metrics.jsonl";
        std::ofstream out(p);
        for (int s = 1; s <= kSteps; ++s) {
            out << "{\"step\": " << s << ", \"data\": {";
            for (int k = 0; k < kKeys; ++k) {
                out << (k ? ", " : "") << '"' << key(k) << "\": " << 0.001 * s + k;
            }
            out << "}}\n";
        }
        return p;
    }();
    return path;
}

void put_varint(std::string& out, std::uint64_t v) {
    while (v >= 0x80) {
        out += static_cast<char>(v | 0x80);
        v >>= 7;
    }
    out += static_cast<char>(v);
}

// Event{wall_time, step, summary{value{tag, simple_value}}} framed as a TFRecord.
std::string scalar_record(double wall_time, int step, const std::string& tag, float value) {
    std::string value_msg;
    value_msg += '\x0a';
    put_varint(value_msg, tag.size());
    value_msg += tag;
    value_msg += '\x15';
    value_msg.append(reinterpret_cast<const char*>(&value), 4);
    std::string summary = "\x0a";
    put_varint(summary, value_msg.size());
    summary += value_msg;
    std::string event = "\x09";
    event.append(reinterpret_cast<const char*>(&wall_time), 8);
    event += '\x10';
    put_varint(event, static_cast<std::uint64_t>(step));
    event += '\x2a';
    put_varint(event, summary.size());
    event += summary;
    std::string record(8, '\0');
    const std::uint64_t length = event.size();
    std::memcpy(record.data(), &length, 8);
    const std::uint32_t length_crc = masked_crc32c(record);
    record.append(reinterpret_cast<const char*>(&length_crc), 4);
    record += event;
    const std::uint32_t data_crc = masked_crc32c(event);
    record.append(reinterpret_cast<const char*>(&data_crc), 4);
    return record;
}

const fs::path& event_log() {
    static const fs::path path = [] {
        const fs::path p = bench_dir() / "tb" / "events.out.tfevents.1733400000.bench.1.0";
        std::ofstream out(p, std::ios::binary);
        for (int s = 1; s <= kSteps; ++s) {
            for (int k = 0; k < kKeys; ++k) {
                out << scalar_record(1.7e9 + s, s, "train/" + key(k), 0.001f * s + k);
            }
        }
        return p;
    }();
    return path;
}

void import_into_fresh_db(benchmark::State& state, const fs::path& log) {
    const std::string db = (bench_dir() / "runs.db").string();
    std::int64_t points = 0;
    for (auto _ : state) {
        state.PauseTiming();
        for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(db + suffix);
        state.ResumeTiming();
        RunStore store(db);
        auto sources = find_sources(log);
        RunImport import(store, *sources.front());
        points = import.poll().points;
        if (points != std::int64_t(kSteps) * kKeys) state.SkipWithError("points missing");
    }
    state.counters["points_per_s"] = benchmark::Counter(
        static_cast<double>(points), benchmark::Counter::kIsIterationInvariantRate);
}

void BM_ImportVerlJsonl(benchmark::State& state) {
    import_into_fresh_db(state, verl_log());
}
BENCHMARK(BM_ImportVerlJsonl)->Unit(benchmark::kMillisecond)->Iterations(1);

void BM_ImportTensorBoard(benchmark::State& state) {
    import_into_fresh_db(state, event_log().parent_path());
}
BENCHMARK(BM_ImportTensorBoard)->Unit(benchmark::kMillisecond)->Iterations(1);

}  // namespace
}  // namespace tinyseek::imports

BENCHMARK_MAIN();
