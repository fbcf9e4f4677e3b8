// What the Rollouts page's per-token view shows of one stored completion (TokenValues,
// training/step_report.h): each token's text and a colour class for the quantity picked.
//
// Classes have fixed edges, so a colour means the same in every completion and run:
//   probability   p = e^logprob: < 0.05, 0.05-0.2, 0.2-0.5, 0.5-0.8, 0.8-0.95, >= 0.95
//   entropy       nats: < 0.1, 0.1-0.3, 0.3-0.6, 0.6-1, 1-1.5, 1.5-2, >= 2
//   push          advantage x (1 - p): how much the GRPO update raises (> 0) or lowers
//                 (< 0) this token's logit, up to the shared 1/|o| or 1/N weight and the
//                 1/T of the temperature; nine classes around 0
// Tokens without values (past the trained context) have class -1.
#pragma once

#include <QColor>
#include <QList>
#include <QString>
#include <QStringList>

#include <vector>

#include "training/step_report.h"

namespace tinyseek::gui {

enum class TokenQuantity { probability, entropy, push };

struct TokenValuesView {
    QStringList texts;          // one per token id
    std::vector<int> classes;   // one per token id; -1 = no value
    QStringList toolTips;       // one per token id
    QStringList classNames;     // legend, in class order
    QList<QColor> classColors;  // in class order
};

// The token texts of `ids`, cut from `completion` (the decoded text without a final <eos>):
// the special tags by their fixed ids, every other id one character. Works for any alphabet.
QStringList tokenTexts(const std::vector<int>& ids, const QString& completion);

// The class of one value of `quantity` (push: the advantage times 1 - p).
int tokenClass(TokenQuantity quantity, double logprob, double entropy, double advantage);

TokenValuesView tokenValuesView(const RolloutSample& sample, TokenQuantity quantity);

}  // namespace tinyseek::gui
