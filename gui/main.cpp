// Entry point: `tinyseek <command> ...` runs headless (cli/, with the image formats of export
// added from here); anything else opens the workbench window, or with --screenshot renders it
// to a PNG and exits.
#include <QApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFileInfo>
#include <QIcon>
#include <QTemporaryDir>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>

#include "cli/command.h"
#include "gui/app_settings.h"
#include "gui/database_file.h"
#include "gui/dialogs/new_run_dialog.h"
#include "gui/figures/render_commands.h"
#include "gui/launch_options.h"
#include "gui/live/import_follower.h"
#include "gui/live/latency_measurement.h"
#include "gui/live/metrics_hub.h"
#include "gui/live/run_reader.h"
#include "gui/main_window.h"
#include "gui/pages/explore_page.h"
#include "gui/pages/page.h"
#include "gui/pages/rollouts_page.h"
#include "gui/pages/training_page.h"
#include "gui/resources.h"
#include "gui/screenshot.h"
#include "gui/theme.h"
#include "gui/translations.h"
#include "training/run_store.h"

namespace {

using namespace tinyseek::gui;

// --measure-latency: a full-speed run (every core) in a scratch database unless --db names
// one, with the Training page in front; prints the JSON report on stdout.
int measureLatency(MainWindow& window, const LaunchOptions& options) {
    QTemporaryDir scratch;
    if (options.db.empty()) {
        const QString path = scratch.path() + QStringLiteral("/latency.db");
        try {
            tinyseek::RunStore store(path.toStdString());
        } catch (const std::exception& e) {
            std::fprintf(stderr, "tinyseek: %s\n", e.what());
            return 1;
        }
        if (!window.openDatabase(path, /*interactive=*/false)) return 1;
    }
    window.resize(1400, 900);
    window.show();
    window.showPage(QStringLiteral("training"));
    tinyseek::TrainConfig config = NewRunDialog::defaultConfig();
    config.threads = 0;  // all cores: the case the GUI must survive
    config.name = "latency probe";
    if (!options.preset.empty()) {  // a larger model: fewer, slower steps, bigger matrices
        config.model_preset = options.preset;
        config.model = tinyseek::ModelConfig::preset(options.preset);
        config.model.balance_mode = NewRunDialog::defaultConfig().model.balance_mode;
    }
    const LatencyReport report =
        measureLatencyDuringRun(window, config, std::stod(options.measureLatency));
    std::printf("%s\n", qPrintable(report.toJson()));
    return report.ok ? 0 : 1;
}

// Without a display only a screenshot or a measurement can go on (offscreen); anything
// else says what runs without one. False when the window cannot open.
bool prepareDisplay(bool offscreenWanted) {
    if (environmentHasDisplay()) return true;
    if (!offscreenWanted) {
        std::fputs(
            "tinyseek: no display found (DISPLAY and WAYLAND_DISPLAY are not set), so the "
            "workbench window cannot open.\n"
            "  tinyseek demo                     the headless demo\n"
            "  tinyseek --help                   every command that runs without a display\n"
            "  tinyseek --screenshot OUT.png     render the window to a PNG (uses the "
            "offscreen platform)\n"
            "  or set QT_QPA_PLATFORM=offscreen to run the window without showing it.\n",
            stderr);
        return false;
    }
    // A screenshot (or a measurement) needs no screen: use Qt's offscreen platform.
    setenv("QT_QPA_PLATFORM", "offscreen", 1);
    return true;
}

// Names, icon, language and theme: the user's settings, overridden by --lang and --theme.
void setUpApplication(QApplication& app, const AppSettings& settings,
                      const LaunchOptions& options) {
    ensureResources();
    QApplication::setOrganizationName(QStringLiteral("TinySeek"));
    QApplication::setApplicationName(QStringLiteral("tinyseek"));
    QApplication::setApplicationVersion(QStringLiteral(TINYSEEK_VERSION));
    QApplication::setDesktopFileName(QStringLiteral("tinyseek"));
    QApplication::setWindowIcon(QIcon(QStringLiteral(":/icons/tinyseek.svg")));

    const QString language =
        effectiveLanguage(settings.language(), QString::fromStdString(options.lang));
    QString error;
    if (!installTranslations(app, language, &error))
        std::fprintf(stderr, "tinyseek: %s; the interface stays in English\n", qPrintable(error));

    Theme theme = settings.theme();
    if (!options.theme.empty()) themeFromKey(QString::fromStdString(options.theme), theme);
    applyTheme(app, theme);
}

// --import / --follow: reads the logs into the open database (the default one when none is)
// and waits for the first read, which shows the first imported run. 1 when nothing could be
// imported (the reason is on stderr).
int importAtStart(MainWindow& window, const LaunchOptions& options) {
    const bool follow = !options.followPath.empty();
    const QString path = QString::fromStdString(follow ? options.followPath : options.importPath);
    if (path.isEmpty()) return 0;
    QEventLoop loop;
    bool imported = false;
    QObject::connect(&window, &MainWindow::importFinished, &loop, [&](const QList<qint64>& runIds) {
        imported = !runIds.isEmpty();
        loop.quit();
    });
    QObject::connect(window.importFollower(), &ImportFollower::failed, &loop,
                     [](const QString&, const QString& message) {
                         std::fprintf(stderr, "tinyseek: %s\n", qPrintable(message));
                     });
    window.importPath(path, follow);
    loop.exec();
    return imported ? 0 : 1;
}

// The database (--db, else the last one), --run and --compare, --x-axis, --metrics, --group and
// --page. An
// --run or --compare that cannot be shown is a usage error: 2, with the reason on stderr.
int showStartingState(MainWindow& window, const AppSettings& settings,
                      const LaunchOptions& options) {
    const QString db = QString::fromStdString(options.db);
    // The last database may have moved since; then the status bar says why it is not open.
    const QString last = settings.lastDatabase();
    if (!db.isEmpty())
        window.openDatabase(db, /*interactive=*/false);
    else if (!last.isEmpty())
        window.openDatabase(last, /*interactive=*/false);
    if (const int rc = importAtStart(window, options); rc != 0) return rc;
    if (!options.run.empty()) {
        QString runError;
        if (!window.metricsHub()->setCurrentRun(std::stoll(options.run), &runError)) {
            std::fprintf(stderr, "tinyseek: option --run: %s\n", qPrintable(runError));
            return 2;
        }
        for (const long long id : compareRunIds(options)) {
            if (!window.metricsHub()->addOverlay(id, &runError)) {
                std::fprintf(stderr, "tinyseek: option --compare: %s\n", qPrintable(runError));
                return 2;
            }
        }
    }
    if (auto* training =
            qobject_cast<TrainingPage*>(window.page(QString::fromLatin1(TrainingPage::kId)))) {
        if (!options.xAxis.empty()) training->setWallTimeAxis(options.xAxis == "time");
        if (!options.metrics.empty()) training->setFilter(QString::fromStdString(options.metrics));
        if (!options.group.empty()) training->setGroupKey(QString::fromStdString(options.group));
    }
    if (auto* rollouts =
            qobject_cast<RolloutsPage*>(window.page(QString::fromLatin1(RolloutsPage::kId))))
        if (!options.fromStep.empty()) rollouts->setStepRange(std::stoll(options.fromStep), -1);
    if (auto* explore =
            qobject_cast<ExplorePage*>(window.page(QString::fromLatin1(ExplorePage::kId))))
        if (!options.exploreText.empty())
            explore->setStartText(QString::fromStdString(options.exploreText));
    if (!options.page.empty()) {
        const QString id = QString::fromStdString(options.page);
        window.showPage(id);
        if (!options.section.empty())
            window.page(id)->showSection(QString::fromStdString(options.section));
    }
    return 0;
}

// --screenshot: the window at a fixed size, once everything it shows has arrived.
int saveScreenshot(MainWindow& window, const LaunchOptions& options) {
    // Fixed size so screenshots are comparable between runs and machines.
    window.resize(1400, 900);
    window.show();
    if (options.page.empty()) window.showPage(window.pageIds().first());
    Screenshot::settle(&window);
    // A followed run is shown after three more reads of its source, as a user would see it.
    if (!options.followPath.empty()) {
        QElapsedTimer following;
        following.start();
        while (following.elapsed() < 3 * ImportFollower::kPollIntervalMs + 500)
            QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
    }
    // Reads still on their way and pages still computing what they show (the routing of a
    // rollout; the Inference page's acceptance at every checkpoint, a minute for a long run)
    // finish first.
    QElapsedTimer busy;
    busy.start();
    const auto anyBusy = [&window] {
        if (!window.metricsHub()->reader()->isIdle()) return true;
        for (const QString& id : window.pageIds())
            if (window.page(id)->isBusy()) return true;
        return false;
    };
    while (anyBusy() && busy.elapsed() < 600000)
        QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
    Screenshot::settle(&window);
    const QString path = QString::fromStdString(options.screenshot);
    const QString error = Screenshot::save(&window, path);
    if (!error.isEmpty()) {
        std::fprintf(stderr, "tinyseek: %s\n", qPrintable(error));
        return 1;
    }
    std::printf("%s\n", qPrintable(QFileInfo(path).absoluteFilePath()));
    return 0;
}

int runWindow(int argc, char** argv, const LaunchOptions& options) {
    const bool screenshot = !options.screenshot.empty();
    const bool measure = !options.measureLatency.empty();
    if (!prepareDisplay(screenshot || measure)) return 1;

    QApplication app(argc, argv);
    const AppSettings settings;
    setUpApplication(app, settings, options);

    const QString db = QString::fromStdString(options.db);
    if (!db.isEmpty()) {
        // An explicit --db that cannot be opened is a usage error, reported on stderr.
        const QString error = DatabaseFile::check(db);
        if (!error.isEmpty()) {
            std::fprintf(stderr, "tinyseek: %s\n", qPrintable(error));
            return 2;
        }
    }

    MainWindow window;
    window.setPersistent(!screenshot && !measure);
    if (!screenshot && !measure) window.restoreLayout();
    if (const int rc = showStartingState(window, settings, options); rc != 0) return rc;
    if (measure) return measureLatency(window, options);
    if (screenshot) return saveScreenshot(window, options);
    window.show();
    return app.exec();
}

}  // namespace

int main(int argc, char** argv) {
    tinyseek::gui::registerRenderCommands();
    const int rc = tinyseek::cli::run_command_line(argc, argv);
    if (rc >= 0) return rc;

    LaunchOptions options;
    const std::string error = parseLaunchOptions(argc, argv, options);
    if (!error.empty()) {
        std::fprintf(stderr, "tinyseek: %s\n", error.c_str());
        return 2;
    }
    return runWindow(argc, argv, options);
}
