#include "gui/pages/judge_stages.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLocale>

#include "gui/pages/percent_text.h"
#include "training/grm/lab.h"

namespace tinyseek::gui {

QStringList JudgeStagesText::labDirsOf(const QJsonObject& scalingConfig) {
    QStringList dirs;
    for (const QJsonValue& v : scalingConfig.value(QStringLiteral("lab_dirs")).toArray())
        if (!v.toString().isEmpty()) dirs.append(v.toString());
    const QString model = scalingConfig.value(QStringLiteral("model_dir")).toString();
    if (dirs.isEmpty() && !model.isEmpty()) dirs.append(model);
    return dirs;
}

JudgeStages JudgeStagesText::read(const QString& dir) {
    JudgeStages s;
    const QString path = QDir(dir).filePath(QString::fromLatin1(kGrmManifest));
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        s.problem = QStringLiteral("%1: %2").arg(path, file.errorString());
        return s;
    }
    QJsonParseError error;
    const QJsonObject manifest = QJsonDocument::fromJson(file.readAll(), &error).object();
    const QJsonObject summary = manifest.value(QStringLiteral("summary")).toObject();
    if (error.error != QJsonParseError::NoError || summary.isEmpty()) {
        s.problem = tr("%1: not a reward-model lab manifest").arg(path);
        return s;
    }
    auto number = [&](const char* key) { return summary.value(QLatin1String(key)).toDouble(); };
    auto flag = [&](const char* key) { return summary.value(QLatin1String(key)).toBool(true); };
    s.seed =
        manifest.value(QStringLiteral("config")).toObject().value(QStringLiteral("seed")).toInt();
    s.cold = number("val_accuracy_cold");
    s.rft = number("val_accuracy_rft");
    s.rl = number("val_accuracy_rl");
    s.rftKept = flag("rft_judge_kept");
    s.rlKept = flag("rl_judge_kept");
    s.rftHints = static_cast<qint64>(number("rft_hinted"));  // absent before hints: 0
    s.rftOwn = static_cast<qint64>(number("rft_kept")) - s.rftHints;
    return s;
}

QString JudgeStagesText::of(const QList<JudgeStages>& labs) {
    if (labs.isEmpty()) return {};
    auto stage = [](double accuracy, bool kept) {
        return kept ? percentText(accuracy) : tr("%1 (undone)").arg(percentText(accuracy));
    };
    QStringList validation, pools;
    const QLocale locale;
    for (const JudgeStages& s : labs) {
        if (!s.problem.isEmpty()) {
            validation.append(tr("no stage results (%1)").arg(s.problem));
            continue;
        }
        validation.append(
            tr("lab seed %1: %2 → %3 → %4")
                .arg(s.seed)
                .arg(percentText(s.cold), stage(s.rft, s.rftKept), stage(s.rl, s.rlKept)));
        pools.append(tr("%1 + %2").arg(locale.toString(s.rftOwn), locale.toString(s.rftHints)));
    }
    QString text = tr("Judge training, greedy validation on train-split items after the cold "
                      "start → RFT → GRPO (a stage that lowered it is undone): %1.")
                       .arg(validation.join(QStringLiteral("; ")));
    if (!pools.isEmpty())
        text += tr(" RFT trained on the judge's own right judgments + worked traces given as "
                   "hints: %1.")
                    .arg(pools.join(QStringLiteral("; ")));
    return text;
}

}  // namespace tinyseek::gui
