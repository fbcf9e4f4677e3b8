// TensorBoard event files: the CRC and wire format against published values, the fixture that
// protoc encoded from TensorBoard's own .proto files (data/tensorboard/make_events.py), and
// damaged or growing files.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>

#include "imports/crc32c.h"
#include "imports/import_error.h"
#include "imports/tf_event_reader.h"
#include "tests/imports/import_fixtures.h"

namespace tinyseek::imports {
namespace {

using testing::count_issues;
using testing::file_bytes;
using testing::fixture;
using testing::read_all;
using testing::write_bytes;
using Kind = ImportIssue::Kind;

std::string from_hex(std::string_view hex) {
    std::string out;
    for (std::size_t i = 0; i + 1 < hex.size(); i += 2) {
        if (hex[i] == ' ') {
            --i;
            continue;
        }
        out += static_cast<char>(std::stoi(std::string(hex.substr(i, 2)), nullptr, 16));
    }
    return out;
}

const std::filesystem::path kEventFile =
    fixture("tensorboard/run/events.out.tfevents.1733400000.host.1234.0");

TEST(Crc32c, MatchesPublishedCheckValues) {
    EXPECT_EQ(crc32c("123456789"), 0xE3069283u);            // the CRC-32C catalogue's check value
    EXPECT_EQ(crc32c(std::string(32, '\0')), 0x8A9136AAu);  // RFC 3720, B.4
    // tensorboard/data/server/masked_crc.rs's test vector.
    EXPECT_EQ(masked_crc32c("\x1a\x11"
                            "CRC test, one two"),
              0x5794D08Au);
}

TEST(EventFileParser, ReadsAHandEncodedRecord) {
    // Event{wall_time=1700000001.5, step=5, summary{value{tag="train/loss", simple_value=0.5}}}
    const std::string record = from_hex(
        "2000000000000000 29eda950 0900006040fc54d941 1005 2a13 0a11 0a0a747261696e2f6c6f7373 "
        "150000003f 1a0e7c18");
    double origin = NAN;
    EventFileParser parser("f", &origin);
    ImportedLog log;
    EXPECT_EQ(parser.parse(record, log), record.size());
    EXPECT_TRUE(log.issues.empty());
    ASSERT_EQ(log.steps.count(5), 1u);
    EXPECT_EQ(log.steps[5].scalars.at("loss"), 0.5);  // "train/" dropped
    EXPECT_EQ(origin, 1700000001.5);
    EXPECT_EQ(log.steps[5].wall_time, 0.0);
}

TEST(TensorBoardImport, ReadsTheWritersScalarsAndText) {
    const ImportedLog log = read_all(kEventFile.parent_path());
    EXPECT_TRUE(log.issues.empty()) << summarize_issues(log.issues);
    ASSERT_EQ(log.steps.size(), 5u);
    for (std::int64_t step = 1; step <= 5; ++step) {
        const ImportedStep& s = log.steps.at(step);
        EXPECT_FLOAT_EQ(s.scalars.at("loss"), 1.0f / step);    // simple_value
        EXPECT_FLOAT_EQ(s.scalars.at("reward"), 0.2f * step);  // mapped name kept
        EXPECT_EQ(s.scalars.at("entropy"), 0.5);               // TF2 tensor_content
    }
    EXPECT_EQ(log.steps.at(1).wall_time, 10.0);          // seconds after the file_version event
    EXPECT_EQ(log.steps.at(5).scalars.at("kl"), 0.25);   // double_val
    EXPECT_EQ(log.steps.at(5).scalars.at("half"), 1.0);  // half_val 0x3C00
    ASSERT_EQ(log.steps.at(5).rollouts.size(), 1u);
    const RolloutSample& text = log.steps.at(5).rollouts.front();
    EXPECT_EQ(text.prompt, "val/generations/text_summary");
    EXPECT_EQ(text.completion, "What is 2+3? <answer>5</answer>");
    EXPECT_EQ(text.source, RolloutSource::eval);
    EXPECT_EQ(text.group, 0);
    EXPECT_EQ(text.member, 0);
    EXPECT_EQ(log.unsupported, 1);  // the histogram
}

// Byte offsets of the records of the fixture.
std::vector<std::size_t> record_starts(const std::string& bytes) {
    std::vector<std::size_t> starts;
    for (std::size_t at = 0; at + 12 <= bytes.size();) {
        starts.push_back(at);
        std::uint64_t length = 0;
        std::memcpy(&length, bytes.data() + at, 8);
        at += 16 + length;
    }
    return starts;
}

TEST(TensorBoardImport, SkipsARecordWhoseDataFailsItsChecksum) {
    std::string bytes = file_bytes(kEventFile);
    const auto starts = record_starts(bytes);
    bytes[starts[2] + 14] ^= 0x40;  // record 3: step 1's train/reward
    const auto dir = testing::fresh_dir("imports", "tb_bad_data_crc");
    write_bytes(dir / kEventFile.filename(), bytes);
    const ImportedLog log = read_all(dir);
    ASSERT_EQ(count_issues(log, Kind::bad_checksum), 1);
    EXPECT_EQ(log.issues.front().line, 3);
    EXPECT_EQ(log.steps.at(1).scalars.count("reward"), 0u);
    EXPECT_EQ(log.steps.at(1).scalars.count("loss"), 1u);
    EXPECT_EQ(log.steps.at(5).scalars.at("kl"), 0.25);  // everything after it is read
}

TEST(TensorBoardImport, StopsAtALengthThatFailsItsChecksum) {
    std::string bytes = file_bytes(kEventFile);
    const auto starts = record_starts(bytes);
    bytes[starts[4]] ^= 0x01;  // record 5's length
    const auto dir = testing::fresh_dir("imports", "tb_bad_length_crc");
    write_bytes(dir / kEventFile.filename(), bytes);
    const ImportedLog log = read_all(dir);
    ASSERT_EQ(count_issues(log, Kind::bad_checksum), 1);
    EXPECT_EQ(log.issues.front().line, 5);
    EXPECT_EQ(log.steps.size(), 1u);  // records 2-4: step 1
    EXPECT_EQ(log.steps.at(1).scalars.size(), 3u);
}

TEST(TensorBoardImport, WaitsForARecordStillBeingWritten) {
    const std::string bytes = file_bytes(kEventFile);
    const auto starts = record_starts(bytes);
    const auto dir = testing::fresh_dir("imports", "tb_growing");
    const auto file = dir / kEventFile.filename();
    // Records: 0 file_version, 1-3 step 1, 4-6 step 2, …; record 5 is cut inside its length.
    write_bytes(file, bytes.substr(0, starts[5] + 7));
    auto sources = find_sources(dir);
    ImportedLog first = sources.front()->poll();
    EXPECT_TRUE(first.issues.empty());
    EXPECT_EQ(first.steps.size(), 2u);
    EXPECT_EQ(first.steps.at(2).scalars.size(), 1u);
    write_bytes(file, bytes.substr(starts[5] + 7, 20), true);  // now inside its data
    EXPECT_TRUE(sources.front()->poll().steps.empty());
    write_bytes(file, bytes.substr(starts[5] + 27), true);
    ImportedLog rest = sources.front()->poll();
    EXPECT_TRUE(rest.issues.empty()) << summarize_issues(rest.issues);
    EXPECT_FALSE(rest.restarted);
    EXPECT_EQ(rest.steps.size(), 4u);  // steps 2 to 5, each record read once
    EXPECT_EQ(rest.steps.count(1), 0u);
    EXPECT_EQ(rest.steps.at(2).scalars.size(), 2u);
}

TEST(TensorBoardImport, ReadsAReplacedFileFromItsStart) {
    const std::string bytes = file_bytes(kEventFile);
    const auto dir = testing::fresh_dir("imports", "tb_replaced");
    const auto file = dir / kEventFile.filename();
    write_bytes(file, bytes);
    auto sources = find_sources(dir);
    EXPECT_EQ(sources.front()->poll().steps.size(), 5u);
    write_bytes(file, bytes.substr(0, record_starts(bytes)[4]));  // truncated to step 1
    const ImportedLog again = sources.front()->poll();
    EXPECT_TRUE(again.restarted);
    EXPECT_EQ(again.steps.size(), 1u);
}

TEST(TensorBoardImport, GarbageIsReportedNotCrashedOn) {
    const auto dir = testing::fresh_dir("imports", "tb_garbage");
    write_bytes(dir / "events.out.tfevents.1.host", std::string(100, '\x07'));
    const ImportedLog log = read_all(dir);
    EXPECT_EQ(count_issues(log, Kind::bad_checksum), 1);
    EXPECT_TRUE(log.steps.empty());
}

}  // namespace
}  // namespace tinyseek::imports
