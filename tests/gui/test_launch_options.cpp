// The window path of the command line (--screenshot, --page, --db, --run, --lang, --theme) is
// parsed before any QApplication exists; bad values are refused with a message naming them.
#include <QTest>

#include <array>
#include <string>
#include <vector>

#include "gui/launch_options.h"

using namespace tinyseek::gui;

namespace {

std::string parse(std::vector<std::string> args, LaunchOptions& options) {
    args.insert(args.begin(), "tinyseek");
    std::vector<char*> argv;
    for (std::string& a : args) argv.push_back(a.data());
    return parseLaunchOptions(static_cast<int>(argv.size()), argv.data(), options);
}

}  // namespace

class TestLaunchOptions : public QObject {
    Q_OBJECT

  private slots:
    void importOrFollowAnExistingPath() {
        const std::string fixtures = TINYSEEK_SOURCE_DIR "/tests/imports/data";
        LaunchOptions a;
        QCOMPARE(parse({"--import", fixtures}, a), std::string());
        QCOMPARE(a.importPath, fixtures);
        LaunchOptions b;
        QCOMPARE(parse({"--follow", fixtures + "/verl"}, b), std::string());
        QCOMPARE(b.followPath, fixtures + "/verl");
        LaunchOptions both;
        QVERIFY(parse({"--import", fixtures, "--follow", fixtures}, both).find("not both") !=
                std::string::npos);
        LaunchOptions missing;
        QVERIFY(parse({"--follow", fixtures + "/nothing-here"}, missing)
                    .find("no such file or folder") != std::string::npos);
    }

    void acceptsEveryOption() {
        LaunchOptions o;
        QCOMPARE(parse({"--screenshot", "out.png", "--page=kv-cache", "--db", "a.db", "--lang",
                        "zh_CN", "--theme", "dark"},
                       o),
                 std::string());
        QCOMPARE(o.screenshot, std::string("out.png"));
        QCOMPARE(o.page, std::string("inference"));  // the page kv-cache is now a tab of
        QCOMPARE(o.section, std::string("kv-cache"));
        QCOMPARE(o.db, std::string("a.db"));
        QCOMPARE(o.lang, std::string("zh_CN"));
        QCOMPARE(o.theme, std::string("dark"));
        QCOMPARE(parse({"--db", "a.db", "--run", "12"}, o), std::string());
        QCOMPARE(o.run, std::string("12"));
        QCOMPARE(parse({"--db", "a.db", "--run", "1", "--compare", "2,30"}, o), std::string());
        QCOMPARE(compareRunIds(o), (std::vector<long long>{2, 30}));
        QCOMPARE(parse({"--x-axis", "time"}, o), std::string());
        QCOMPARE(o.xAxis, std::string("time"));
        QCOMPARE(parse({"--from-step", "2005"}, o), std::string());
        QCOMPARE(o.fromStep, std::string("2005"));
        QCOMPARE(parse({"--text", "<bos>12+34=<think>"}, o), std::string());
        QCOMPARE(o.exploreText, std::string("<bos>12+34=<think>"));
        QCOMPARE(parse({"--metrics", "think|Held-out completion length (sampled)"}, o),
                 std::string());
        QCOMPARE(o.metrics, std::string("think|Held-out completion length (sampled)"));
        QCOMPARE(parse({"--measure-latency", "20", "--preset", "medium"}, o), std::string());
        QCOMPARE(o.preset, std::string("medium"));
    }
    void pageTakesTheNamesTheWindowShows() {
        // {name, page id, section}: the KV Cache page's names still work and open its tab
        // of the Inference page.
        const std::vector<std::array<std::string, 3>> names = {
            {"KV Cache", "inference", "kv-cache"},
            {"kv cache", "inference", "kv-cache"},
            {"KV-CACHE", "inference", "kv-cache"},
            {"kv_cache", "inference", "kv-cache"},
            {"KV 缓存", "inference", "kv-cache"},
            {"inference", "inference", ""},
            {"Inference", "inference", ""},
            {"推理", "inference", ""},
            {"Reward Model", "reward-model", ""},
            {"routing", "routing", ""},
            {"Training", "training", ""},
            {"RUNS", "runs", ""},
            {"奖励模型", "reward-model", ""},
            {"训练", "training", ""},
            {"路由", "routing", ""}};
        for (const auto& [name, id, section] : names) {
            LaunchOptions o;
            QCOMPARE(parse({"--page", name}, o), std::string());
            QCOMPARE(o.page, id);
            QCOMPARE(o.section, section);
        }
        LaunchOptions o;
        const std::string error = parse({"--page", "KV"}, o);
        QVERIFY2(error.find("'KV'") != std::string::npos, error.c_str());
        QVERIFY2(error.find("inference") != std::string::npos, error.c_str());
        QVERIFY2(error.find("kv-cache") != std::string::npos, error.c_str());
    }
    void nothingIsFine() {
        LaunchOptions o;
        QCOMPARE(parse({}, o), std::string());
        QVERIFY(o.screenshot.empty() && o.page.empty());
    }
    void refusesBadInput_data() {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("mentions");
        QTest::newRow("unknown page") << QStringList{"--page", "nosuch"} << "'nosuch'";
        QTest::newRow("unknown x axis") << QStringList{"--x-axis", "hours"} << "'hours'";
        QTest::newRow("negative step") << QStringList{"--from-step", "-3"} << "'-3'";
        QTest::newRow("step text") << QStringList{"--from-step", "ten"} << "--from-step";
        QTest::newRow("page list") << QStringList{"--page", "nosuch"} << "reward-model";
        QTest::newRow("unknown option") << QStringList{"--frobnicate"} << "--frobnicate";
        QTest::newRow("missing value") << QStringList{"--screenshot"} << "--screenshot";
        QTest::newRow("empty value") << QStringList{"--db="} << "--db";
        QTest::newRow("language") << QStringList{"--lang", "fr"} << "'fr'";
        QTest::newRow("theme") << QStringList{"--theme", "pink"} << "'pink'";
        QTest::newRow("run id") << QStringList{"--db", "a.db", "--run", "0"} << "'0'";
        QTest::newRow("run text") << QStringList{"--db", "a.db", "--run", "3x"} << "'3x'";
        QTest::newRow("run without db") << QStringList{"--run", "3"} << "--db";
        QTest::newRow("compare without run")
            << QStringList{"--db", "a.db", "--compare", "2"} << "--run";
        QTest::newRow("compare empty item")
            << QStringList{"--db", "a.db", "--run", "1", "--compare", "2,,3"} << "'2,,3'";
        QTest::newRow("compare text")
            << QStringList{"--db", "a.db", "--run", "1", "--compare", "two"} << "'two'";
        QTest::newRow("stray argument") << QStringList{"--page", "runs", "extra"} << "'extra'";
        QTest::newRow("preset alone") << QStringList{"--preset", "small"} << "--measure-latency";
        QTest::newRow("preset for accounting only")
            << QStringList{"--measure-latency", "5", "--preset", "deepseek-v3"} << "'deepseek-v3'";
    }
    void refusesBadInput() {
        QFETCH(QStringList, args);
        QFETCH(QString, mentions);
        std::vector<std::string> list;
        for (const QString& a : args) list.push_back(a.toStdString());
        LaunchOptions o;
        const std::string error = parse(list, o);
        QVERIFY2(error.find(mentions.toStdString()) != std::string::npos, error.c_str());
    }
};

QTEST_MAIN(TestLaunchOptions)
#include "test_launch_options.moc"
