// The real `tinyseek` binary of the workbench build run as a child process with no display at
// all (DISPLAY, WAYLAND_DISPLAY and QT_QPA_PLATFORM removed from its environment): window
// options, the no-display message and the headless screenshot (PNG checked from its bytes).
#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "cli_harness.h"

using namespace cli_test;

TEST(CliBasics, UnknownWindowOptionExitsTwo) {
    const Result r = tinyseek({"--frobnicate"}, "unknown_window_option");
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_TRUE(contains(r.err, "--frobnicate")) << r.err;
}

TEST(CliBasics, NoDisplayExplainsInsteadOfCrashing) {
    const Result r = tinyseek({}, "no_display");
    EXPECT_EQ(r.exit_code, 1) << r.err;
    EXPECT_TRUE(contains(r.err, "no display")) << r.err;
    EXPECT_TRUE(contains(r.err, "tinyseek demo")) << r.err;
    EXPECT_TRUE(contains(r.err, "QT_QPA_PLATFORM=offscreen")) << r.err;
}

TEST(CliBasics, HeadlessScreenshotWritesPngOfTheWindow) {
    const fs::path png = scratch("screenshot") / "routing.png";
    const Result r = tinyseek({"--screenshot", png.string(), "--page", "routing"}, "screenshot");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    ASSERT_TRUE(fs::exists(png));
    const std::string bytes = slurp(png);
    const PngSize size = png_size(bytes);
    ASSERT_TRUE(size.valid) << "not a PNG: " << bytes.substr(0, 16);
    EXPECT_EQ(size.width, 1400u);
    EXPECT_EQ(size.height, 900u);
    // A window with text compresses far worse than a flat colour: a blank 1400x900 PNG is
    // about 6 kB, this window about 27 kB.
    EXPECT_GT(bytes.size(), 12000u);
}

TEST(CliBasics, ScreenshotInChineseAndDark) {
    const fs::path png = scratch("screenshot_zh") / "runs.png";
    const Result r = tinyseek(
        {"--screenshot", png.string(), "--page", "runs", "--lang", "zh_CN", "--theme", "dark"},
        "screenshot_zh");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(png_size(slurp(png)).width, 1400u);
}

TEST(CliBasics, ScreenshotOfUnknownPageNamesIt) {
    const fs::path png = scratch("bad_page") / "x.png";
    const Result r = tinyseek({"--screenshot", png.string(), "--page", "nosuch"}, "bad_page");
    EXPECT_NE(r.exit_code, 0);
    EXPECT_TRUE(contains(r.err, "nosuch")) << r.err;
    EXPECT_TRUE(contains(r.err, "kv-cache")) << r.err;  // lists the valid names
    EXPECT_FALSE(fs::exists(png));
}

TEST(CliBasics, ScreenshotIntoMissingFolderFails) {
    const fs::path png = scratch("bad_folder") / "no" / "such" / "x.png";
    const Result r = tinyseek({"--screenshot", png.string()}, "bad_folder");
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_TRUE(contains(r.err, png.string())) << r.err;
}

TEST(CliBasics, MissingDatabaseIsRefused) {
    const fs::path dir = scratch("missing_db");
    const fs::path db = dir / "nothing_here.db";
    const Result r =
        tinyseek({"--screenshot", (dir / "x.png").string(), "--db", db.string()}, "missing_db");
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_TRUE(contains(r.err, "nothing_here.db")) << r.err;
}
