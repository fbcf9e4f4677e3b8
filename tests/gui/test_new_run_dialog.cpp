// New Run dialog: the defaults are a valid config; every field lands in the TrainConfig;
// invalid values disable Start and show TrainConfig::validate's reason (field, value,
// expectation) or the parse error of a number field.
#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QTest>

#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>

#include "gui/dialogs/new_run_dialog.h"

using namespace tinyseek;
using namespace tinyseek::gui;

class TestNewRunDialog : public QObject {
    Q_OBJECT

  private slots:
    void defaultsAreValid();
    void fieldsReachTheConfig();
    void invalidValuesAreRefusedWithReason();
    void prefillsFromAConfig();
    void offersEveryBalanceMode();
    void mtpAndSpeculativeRollouts();
    void precisionReachesTheConfig();
    void experimentPresetIsThePinnedFile();
    void directShareSetsTheColdStartMixture();
    void fitsOnALaptopScreen();

  private:
    template <typename T>
    static T* child(NewRunDialog& d, const char* name) {
        T* w = d.findChild<T*>(QLatin1String(name));
        if (!w) qFatal("missing child %s", name);
        return w;
    }
};

void TestNewRunDialog::defaultsAreValid() {
    NewRunDialog dialog;
    QVERIFY2(dialog.isValid(), qPrintable(dialog.errorText()));
    QVERIFY(child<QPushButton>(dialog, "startButton")->isEnabled());
    QVERIFY(child<QLabel>(dialog, "errorLabel")->isHidden());
    const TrainConfig c = dialog.config();
    c.validate();
    const TrainConfig d = NewRunDialog::defaultConfig();
    QCOMPARE(QString::fromStdString(c.to_json().dump()),
             QString::fromStdString(d.to_json().dump()));
    // One core stays with the window.
    QCOMPARE(d.threads, std::max(1, QThread::idealThreadCount() - 1));
}

void TestNewRunDialog::fieldsReachTheConfig() {
    NewRunDialog dialog;
    child<QLineEdit>(dialog, "nameEdit")->setText(QStringLiteral("no balancing, G=4"));
    child<QComboBox>(dialog, "taskCombo")->setCurrentText(QStringLiteral("subtraction"));
    child<QSpinBox>(dialog, "digitsSpin")->setValue(4);
    child<QSpinBox>(dialog, "sftStepsSpin")->setValue(250);
    child<QSpinBox>(dialog, "grpoStepsSpin")->setValue(40);
    child<QSpinBox>(dialog, "groupSizeSpin")->setValue(4);
    child<QLineEdit>(dialog, "betaEdit")->setText(QStringLiteral("0.02"));
    child<QLineEdit>(dialog, "epsilonEdit")->setText(QStringLiteral("0.28"));
    child<QLineEdit>(dialog, "temperatureEdit")->setText(QStringLiteral("0.7"));
    child<QLineEdit>(dialog, "grpoLrEdit")->setText(QStringLiteral("5e-5"));
    child<QLineEdit>(dialog, "sftLrEdit")->setText(QStringLiteral("1e-3"));
    child<QSpinBox>(dialog, "coldStartSpin")->setValue(64);
    auto* balance = child<QComboBox>(dialog, "balanceCombo");
    balance->setCurrentIndex(balance->findData(QStringLiteral("none")));
    child<QCheckBox>(dialog, "controlCheck")->setChecked(true);
    child<QLineEdit>(dialog, "seedEdit")->setText(QStringLiteral("12345678901"));
    child<QSpinBox>(dialog, "threadsSpin")->setValue(2);
    QVERIFY2(dialog.isValid(), qPrintable(dialog.errorText()));
    const TrainConfig c = dialog.config();
    QCOMPARE(c.name, std::string("no balancing, G=4"));
    QCOMPARE(c.task, std::string("subtraction"));
    QCOMPARE(c.task_options.digits, 4);
    QCOMPARE(c.sft.steps, std::int64_t(250));
    QCOMPARE(c.grpo.steps, std::int64_t(40));
    QCOMPARE(c.grpo.group_size, 4);
    QCOMPARE(c.grpo.beta, 0.02f);
    QCOMPARE(c.grpo.epsilon, 0.28f);
    QCOMPARE(c.grpo.temperature, 0.7f);
    QCOMPARE(c.grpo.lr, 5e-5f);
    QCOMPARE(c.sft.lr, 1e-3f);
    // The end of the cosine keeps the default's ratio to the peak (2e-4 / 2e-3).
    QCOMPARE(c.sft.min_lr, 1e-3f * (2e-4f / 2e-3f));
    QCOMPARE(c.sft.cold_start_pool, 64);
    QCOMPARE(c.model.balance_mode, BalanceMode::none);
    QCOMPARE(c.control, std::string("sft"));
    QCOMPARE(c.seed, std::uint64_t(12345678901ULL));
    QCOMPARE(c.threads, 2);
    QCOMPARE(c.pipeline, (std::vector<Stage>{Stage::sft, Stage::grpo}));

    // SFT only: GRPO fields are disabled and take no steps; no control arm without GRPO.
    auto* pipeline = child<QComboBox>(dialog, "pipelineCombo");
    pipeline->setCurrentIndex(pipeline->findData(QStringLiteral("sft")));
    QVERIFY(!child<QSpinBox>(dialog, "groupSizeSpin")->isEnabled());
    const TrainConfig sftOnly = dialog.config();
    QCOMPARE(sftOnly.pipeline, std::vector<Stage>{Stage::sft});
    QCOMPARE(sftOnly.grpo.steps, std::int64_t(0));
    QCOMPARE(sftOnly.control, std::string());
    QVERIFY2(dialog.isValid(), qPrintable(dialog.errorText()));
}

void TestNewRunDialog::invalidValuesAreRefusedWithReason() {
    NewRunDialog dialog;
    auto* start = child<QPushButton>(dialog, "startButton");
    auto* error = child<QLabel>(dialog, "errorLabel");

    child<QSpinBox>(dialog, "groupSizeSpin")->setValue(1);
    QVERIFY(!dialog.isValid());
    QVERIFY(!start->isEnabled());
    QVERIFY2(dialog.errorText().contains(QStringLiteral("grpo.group_size")),
             qPrintable(dialog.errorText()));
    QVERIFY(!error->isHidden());
    QVERIFY(error->text().contains(QStringLiteral("grpo.group_size")));
    // Start cannot accept the dialog while invalid.
    start->click();
    QCOMPARE(dialog.result(), int(QDialog::Rejected));
    child<QSpinBox>(dialog, "groupSizeSpin")->setValue(8);
    QVERIFY(dialog.isValid());
    QVERIFY(start->isEnabled());

    child<QLineEdit>(dialog, "grpoLrEdit")->setText(QStringLiteral("fast"));
    QVERIFY(!dialog.isValid());
    QVERIFY2(dialog.errorText().contains(QStringLiteral("'fast'")), qPrintable(dialog.errorText()));
    child<QLineEdit>(dialog, "grpoLrEdit")->setText(QStringLiteral("2"));
    QVERIFY2(dialog.errorText().contains(QStringLiteral("grpo.lr")),
             qPrintable(dialog.errorText()));
    child<QLineEdit>(dialog, "grpoLrEdit")->setText(QStringLiteral("1e-4"));
    QVERIFY(dialog.isValid());

    child<QLineEdit>(dialog, "seedEdit")->setText(QStringLiteral("-3"));
    QVERIFY(dialog.errorText().contains(QStringLiteral("Seed")));
    child<QLineEdit>(dialog, "seedEdit")->setText(QStringLiteral("3"));

    // An accounting-only preset is too large to train: validate() says so.
    child<QComboBox>(dialog, "presetCombo")->setCurrentText(QStringLiteral("deepseek-v3"));
    QVERIFY(!dialog.isValid());
    QVERIFY2(dialog.errorText().contains(QStringLiteral("parameters")),
             qPrintable(dialog.errorText()));
    child<QComboBox>(dialog, "presetCombo")->setCurrentText(QStringLiteral("tiny"));
    QVERIFY2(dialog.isValid(), qPrintable(dialog.errorText()));

    child<QSpinBox>(dialog, "sftStepsSpin")->setValue(0);
    QVERIFY(dialog.errorText().contains(QStringLiteral("sft.steps")));
}

void TestNewRunDialog::prefillsFromAConfig() {
    TrainConfig c = NewRunDialog::defaultConfig();
    c.task = "countdown";
    c.pipeline = {Stage::grpo};
    c.grpo.group_size = 16;
    c.grpo.temperature = 0.9f;
    c.model.balance_mode = BalanceMode::aux_loss;
    c.seed = 77;
    NewRunDialog dialog;
    dialog.setConfig(c);
    QVERIFY2(dialog.isValid(), qPrintable(dialog.errorText()));
    QCOMPARE(child<QComboBox>(dialog, "taskCombo")->currentText(), QStringLiteral("countdown"));
    QVERIFY(!child<QSpinBox>(dialog, "digitsSpin")->isEnabled());
    QVERIFY(!child<QSpinBox>(dialog, "sftStepsSpin")->isEnabled());
    const TrainConfig back = dialog.config();
    QCOMPARE(back.pipeline, std::vector<Stage>{Stage::grpo});
    QCOMPARE(back.grpo.group_size, 16);
    QCOMPARE(back.grpo.temperature, 0.9f);
    QCOMPARE(back.model.balance_mode, BalanceMode::aux_loss);
    QCOMPARE(back.seed, std::uint64_t(77));
    QCOMPARE(back.sft.steps, std::int64_t(0));
}

void TestNewRunDialog::offersEveryBalanceMode() {
    NewRunDialog dialog;
    auto* combo = child<QComboBox>(dialog, "balanceCombo");
    for (const std::string& name : balance_mode_names()) {
        const int index = combo->findData(QString::fromStdString(name));
        QVERIFY2(index >= 0, name.c_str());
        combo->setCurrentIndex(index);
        QCOMPARE(std::string(to_string(dialog.config().model.balance_mode)), name);
    }
    TrainConfig c = NewRunDialog::defaultConfig();
    c.model.balance_mode = BalanceMode::aux_free_seq;
    dialog.setConfig(c);
    QCOMPARE(combo->currentData().toString(), QStringLiteral("aux_free_seq"));
    QCOMPARE(dialog.config().model.balance_mode, BalanceMode::aux_free_seq);
}

void TestNewRunDialog::mtpAndSpeculativeRollouts() {
    NewRunDialog dialog;
    auto* mtp = child<QCheckBox>(dialog, "mtpCheck");
    auto* speculative = child<QCheckBox>(dialog, "speculativeCheck");
    QVERIFY(mtp->isChecked());  // the tiny preset has an MTP module
    QCOMPARE(dialog.config().model.num_nextn_predict_layers, 1);
    QVERIFY(!dialog.config().grpo.speculative_rollouts);
    speculative->setChecked(true);
    QVERIFY(dialog.config().grpo.speculative_rollouts);
    // Without the MTP module there is nothing to draft with.
    mtp->setChecked(false);
    QVERIFY(!speculative->isEnabled());
    QCOMPARE(dialog.config().model.num_nextn_predict_layers, 0);
    QVERIFY(!dialog.config().grpo.speculative_rollouts);
    QVERIFY2(dialog.isValid(), qPrintable(dialog.errorText()));
    // Nor does an SFT-only pipeline sample rollouts.
    mtp->setChecked(true);
    QVERIFY(speculative->isEnabled());
    auto* pipeline = child<QComboBox>(dialog, "pipelineCombo");
    pipeline->setCurrentIndex(pipeline->findData(QStringLiteral("sft")));
    QVERIFY(!speculative->isEnabled());
    QVERIFY(!dialog.config().grpo.speculative_rollouts);
    // A stored config comes back as it was.
    TrainConfig c = NewRunDialog::defaultConfig();
    c.grpo.speculative_rollouts = true;
    dialog.setConfig(c);
    QVERIFY(speculative->isChecked() && speculative->isEnabled());
    QVERIFY(dialog.config().grpo.speculative_rollouts);
    c.model.num_nextn_predict_layers = 0;
    c.grpo.speculative_rollouts = false;
    dialog.setConfig(c);
    QVERIFY(!mtp->isChecked());
    QCOMPARE(dialog.config().model.num_nextn_predict_layers, 0);
}

void TestNewRunDialog::precisionReachesTheConfig() {
    NewRunDialog dialog;
    auto* combo = child<QComboBox>(dialog, "precisionCombo");
    QCOMPARE(dialog.config().precision, std::string("fp32"));
    QVERIFY(!dialog.config().fp8_recipe().has_value());
    combo->setCurrentIndex(combo->findData(QStringLiteral("fp8")));
    TrainConfig c = dialog.config();
    QCOMPARE(c.precision, std::string("fp8"));
    QVERIFY(!c.fp8.per_tensor);
    QCOMPARE(c.fp8.grad_format, Fp8Format::e4m3);
    combo->setCurrentIndex(combo->findData(QStringLiteral("fp8-tensor")));
    QVERIFY(dialog.config().fp8.per_tensor);
    combo->setCurrentIndex(combo->findData(QStringLiteral("fp8-e5m2")));
    QCOMPARE(dialog.config().fp8.grad_format, Fp8Format::e5m2);
    combo->setCurrentIndex(combo->findData(QStringLiteral("fp8-bf16-moments")));
    QVERIFY(dialog.config().fp8.bf16_moments);
    QVERIFY(!dialog.config().fp8.limited_accumulator);
    combo->setCurrentIndex(combo->findData(QStringLiteral("fp8-limited")));
    QVERIFY(dialog.config().fp8.limited_accumulator);
    QCOMPARE(dialog.config().fp8.promote_every, 128);
    QVERIFY(!dialog.config().fp8.per_tensor);
    combo->setCurrentIndex(combo->findData(QStringLiteral("fp8-never-promoted")));
    c = dialog.config();
    QVERIFY(c.fp8.limited_accumulator && c.fp8.per_tensor);
    QCOMPARE(c.fp8.promote_every, 0);
    dialog.setConfig(c);
    QCOMPARE(combo->currentData().toString(), QStringLiteral("fp8-never-promoted"));
    combo->setCurrentIndex(combo->findData(QStringLiteral("fp8")));
    c = dialog.config();
    QVERIFY(!c.fp8.limited_accumulator && !c.fp8.bf16_moments);
    QVERIFY2(dialog.isValid(), qPrintable(dialog.errorText()));
    // A stored config comes back as it was.
    c.fp8.per_tensor = true;
    dialog.setConfig(c);
    QCOMPARE(combo->currentData().toString(), QStringLiteral("fp8-tensor"));
    QVERIFY(dialog.config().fp8.per_tensor);
}

// Choosing a built-in experiment gives exactly its pinned file, read from the source tree.
void TestNewRunDialog::experimentPresetIsThePinnedFile() {
    NewRunDialog dialog;
    auto* combo = child<QComboBox>(dialog, "experimentCombo");
    const int index = combo->findText(QStringLiteral("think or answer"));
    QVERIFY2(index > 0, "the think-or-answer experiment is offered");
    QCOMPARE(combo->count() - 1, NewRunDialog::experiments().size());
    // Every pinned file is bundled (assets/assets.qrc lists them one by one).
    qsizetype files = 0;
    for (const auto& e :
         std::filesystem::directory_iterator(TINYSEEK_SOURCE_DIR "/assets/experiments"))
        files += e.path().extension() == ".json";
    QCOMPARE(NewRunDialog::experiments().size(), files);
    QTest::keyClick(combo, Qt::Key_Home);  // activated() fires on user choices only
    for (int i = 0; i < index; ++i) QTest::keyClick(combo, Qt::Key_Down);
    QCOMPARE(combo->currentIndex(), index);
    QVERIFY2(dialog.isValid(), qPrintable(dialog.errorText()));
    std::ifstream in(TINYSEEK_SOURCE_DIR "/assets/experiments/think-or-answer.json");
    const nlohmann::json pinned = nlohmann::json::parse(in);
    QCOMPARE(QString::fromStdString(dialog.config().to_json().dump(2)),
             QString::fromStdString(pinned.dump(2)));
    QCOMPARE(child<QSpinBox>(dialog, "directShareSpin")->value(), 50);
}

void TestNewRunDialog::directShareSetsTheColdStartMixture() {
    NewRunDialog dialog;
    auto* share = child<QSpinBox>(dialog, "directShareSpin");
    QCOMPARE(share->value(), 0);
    QVERIFY(dialog.config().task_options.styles.only_worked());
    share->setValue(30);
    const StyleMix styles = dialog.config().task_options.styles;
    QCOMPARE(styles.direct, 0.3);
    QCOMPARE(styles.worked, 0.7);
    QCOMPARE(styles.partial, 0.0);
    QVERIFY(dialog.isValid());
    // A mixture with partial traces survives the round trip through the form untouched.
    TrainConfig c = NewRunDialog::defaultConfig();
    c.task_options.styles =
        StyleMix{.worked = 1.0, .partial = 1.0, .direct = 2.0, .partial_steps = 2};
    dialog.setConfig(c);
    QCOMPARE(share->value(), 50);
    QVERIFY(dialog.config().task_options.styles == c.task_options.styles);
}

// The form grew with every wave; it must still fit a 1366 x 768 screen without scrolling. The
// picture lands in the test folder for a look.
void TestNewRunDialog::fitsOnALaptopScreen() {
    NewRunDialog dialog;
    dialog.resize(dialog.sizeHint());
    QVERIFY2(dialog.sizeHint().height() <= 740,
             qPrintable(QStringLiteral("height %1").arg(dialog.sizeHint().height())));
    QVERIFY2(dialog.sizeHint().width() <= 1360,
             qPrintable(QStringLiteral("width %1").arg(dialog.sizeHint().width())));
    QVERIFY(QDir().mkpath(QStringLiteral(TINYSEEK_TEST_TMP)));
    QVERIFY(dialog.grab().save(QStringLiteral(TINYSEEK_TEST_TMP "/new_run_dialog.png")));
}

QTEST_MAIN(TestNewRunDialog)
#include "test_new_run_dialog.moc"
