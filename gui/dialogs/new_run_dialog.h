// New Run dialog: the parts of a TrainConfig a user sets before starting a run: a built-in
// experiment to start from (the pinned configs of assets/experiments/, bundled as resources),
// name, task (and its size, and the share of direct answers in the cold start), pipeline with
// step budgets, model preset, expert balancing mode, the GRPO
// knobs (G, prompts per step, β, ε, temperature, learning rate, completion budget), the SFT
// cold-start pool and learning rate, the control arm, held-out evaluation size, seed and
// threads. Everything else keeps the values of the config the dialog was opened with.
//
// Every edit rebuilds the config and runs TrainConfig::validate(); while it throws, the
// reason (its ConfigError message, naming field, value and expectation) is shown under the
// form and Start stays disabled. Nothing is clamped silently: spin boxes allow far more
// than the config accepts, so the validator, not the widget, has the last word.
#pragma once

#include <QDialog>
#include <QList>
#include <QPair>
#include <QString>

#include "training/train_config.h"

class QCheckBox;
class QComboBox;
class QDialogButtonBox;
class QGroupBox;
class QLabel;
class QLineEdit;
class QSpinBox;

namespace tinyseek::gui {

class NewRunDialog : public QDialog {
    Q_OBJECT

  public:
    explicit NewRunDialog(QWidget* parent = nullptr);

    // Fills the form from `config` (e.g. the defaults, or the current run's config to
    // repeat it).
    void setConfig(const TrainConfig& config);
    // The config the form describes (valid only when errorText() is empty).
    TrainConfig config() const;
    // Empty when the form is valid; otherwise the reason Start is disabled.
    QString errorText() const { return m_errorText; }
    bool isValid() const { return m_errorText.isEmpty(); }

    // The defaults a new run starts from: TrainConfig's, with threads = cores - 1 so the
    // window keeps a core for itself while training.
    static TrainConfig defaultConfig();
    // The bundled experiments: (resource path, config name) in file-name order.
    static QList<QPair<QString, QString>> experiments();

  private:
    // The form, one group box per part of the config, built in the constructor.
    QGroupBox* buildRunBox();    // name, task and its size, pipeline, model, balancing
    QGroupBox* buildSftBox();    // the cold-start stage
    QGroupBox* buildGrpoBox();   // the RL stage and the control arm
    QGroupBox* buildOtherBox();  // evaluation, seed, threads
    void buildFooter();          // the error line and Start / Cancel
    void arrange(const QList<QGroupBox*>& leftBoxes, const QList<QGroupBox*>& rightBoxes);
    void connectEdits();  // every edit revalidates
    void revalidate();
    void updateTaskFields();
    void updateStageFields();
    void loadExperiment(int index);  // index of the experiment combo; 0 = keep the form
    // Parses a float field; false (and *error names the field) when it is not a number.
    bool readFloat(const QLineEdit* edit, const QString& label, float* out, QString* error) const;

    TrainConfig m_base;  // fields the form does not show come from here
    float m_minLrRatio = 0.1f;
    QString m_errorText;

    QComboBox* m_experiment = nullptr;
    QLineEdit* m_name = nullptr;
    QComboBox* m_task = nullptr;
    QSpinBox* m_digits = nullptr;
    QSpinBox* m_aDigits = nullptr;
    QSpinBox* m_bDigits = nullptr;
    QSpinBox* m_numbers = nullptr;
    QSpinBox* m_maxTarget = nullptr;
    QComboBox* m_pipeline = nullptr;
    QSpinBox* m_sftSteps = nullptr;
    QSpinBox* m_sftBatch = nullptr;
    QLineEdit* m_sftLr = nullptr;
    QSpinBox* m_coldStartPool = nullptr;
    QSpinBox* m_directShare = nullptr;  // percent of direct answers among cold-start traces
    QSpinBox* m_grpoSteps = nullptr;
    QSpinBox* m_groupSize = nullptr;
    QSpinBox* m_promptsPerStep = nullptr;
    QLineEdit* m_beta = nullptr;
    QLineEdit* m_epsilon = nullptr;
    QLineEdit* m_temperature = nullptr;
    QLineEdit* m_grpoLr = nullptr;
    QSpinBox* m_maxNewTokens = nullptr;
    QComboBox* m_preset = nullptr;
    QComboBox* m_balance = nullptr;
    QCheckBox* m_control = nullptr;
    QCheckBox* m_mtp = nullptr;
    QCheckBox* m_speculative = nullptr;
    QSpinBox* m_evalN = nullptr;
    QLineEdit* m_seed = nullptr;
    QSpinBox* m_threads = nullptr;
    QComboBox* m_precision = nullptr;
    QLabel* m_error = nullptr;
    QDialogButtonBox* m_buttons = nullptr;
};

}  // namespace tinyseek::gui
