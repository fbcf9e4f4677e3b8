// What each lab seed's judge training did, stage by stage, for the Reward Model page. The
// stages' outcomes live in the lab's output directory (its grm.json manifest: validation after
// the cold start, RFT and GRPO, whether each stage was kept or undone, what RFT trained on),
// which the config of a scaling run names: lab_dirs for an experiment, model_dir otherwise.
#pragma once

#include <QCoreApplication>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

namespace tinyseek::gui {

struct JudgeStages {
    QString problem;                         // why nothing was read; empty when read
    int seed = 0;                            // the lab seed
    double cold = 0.0, rft = 0.0, rl = 0.0;  // greedy validation accuracy after each stage
    bool rftKept = true, rlKept = true;      // false: the stage lowered it and was undone
    qint64 rftOwn = 0;                       // RFT's pool: the judge's own right judgments ...
    qint64 rftHints = 0;                     // ... and the worked traces given as hints
};

class JudgeStagesText {
    Q_DECLARE_TR_FUNCTIONS(JudgeStagesText)

  public:
    // The lab output directories a scaling run's config names (lab_dirs, else model_dir).
    static QStringList labDirsOf(const QJsonObject& scalingConfig);
    // DIR/grm.json's summary; on failure `problem` says why. No GUI: runs on a reader thread.
    static JudgeStages read(const QString& dir);
    // One sentence for all labs: validation after each stage, undone stages marked, and RFT's
    // pool; empty without labs.
    static QString of(const QList<JudgeStages>& labs);
};

}  // namespace tinyseek::gui
