#include "gui/models/token_values_view.h"

#include <QCoreApplication>

#include <algorithm>
#include <array>
#include <cmath>

#include "core/tokenizer.h"
#include "viz/color_map.h"

namespace tinyseek::gui {

namespace {

constexpr std::array<double, 5> kProbabilityEdges = {0.05, 0.2, 0.5, 0.8, 0.95};
constexpr std::array<double, 6> kEntropyEdges = {0.1, 0.3, 0.6, 1.0, 1.5, 2.0};
constexpr std::array<double, 8> kPushEdges = {-1.0, -0.5, -0.2, -0.05, 0.05, 0.2, 0.5, 1.0};

template <std::size_t N>
int classOf(double x, const std::array<double, N>& edges) {
    int c = 0;
    while (c < static_cast<int>(N) && x >= edges[c]) ++c;
    return c;
}

QString tr(const char* text) {
    return QCoreApplication::translate("TokenValuesView", text);
}

template <std::size_t N>
QStringList rangeNames(const std::array<double, N>& edges, const QString& symbol) {
    QStringList names;
    names << QStringLiteral("%1 < %2").arg(symbol).arg(edges[0]);
    for (std::size_t i = 1; i < N; ++i)
        names << QStringLiteral("%1 – %2").arg(edges[i - 1]).arg(edges[i]);
    names << QStringLiteral("%1 ≥ %2").arg(symbol).arg(edges[N - 1]);
    return names;
}

// Colours of n classes along a map from its low to its high end.
QList<QColor> spread(const viz::ColorMap& map, int n) {
    QList<QColor> colors;
    for (int i = 0; i < n; ++i) colors << map.color(n == 1 ? 0.5 : double(i) / (n - 1));
    return colors;
}

}  // namespace

QStringList tokenTexts(const std::vector<int>& ids, const QString& completion) {
    const std::vector<std::string>& special = special_token_texts();
    QStringList texts;
    int at = 0;
    for (int id : ids) {
        if (id >= 0 && id < static_cast<int>(special.size())) {
            const QString tag = QString::fromStdString(special[id]);
            if (completion.mid(at, tag.size()) == tag) at += static_cast<int>(tag.size());
            texts << tag;
        } else {
            texts << (at < completion.size() ? completion.mid(at++, 1) : QStringLiteral("?"));
        }
    }
    return texts;
}

int tokenClass(TokenQuantity quantity, double logprob, double entropy, double advantage) {
    switch (quantity) {
        case TokenQuantity::probability:
            return classOf(std::exp(logprob), kProbabilityEdges);
        case TokenQuantity::entropy:
            return classOf(entropy, kEntropyEdges);
        case TokenQuantity::push:
            return classOf(advantage * (1.0 - std::exp(logprob)), kPushEdges);
    }
    return -1;
}

TokenValuesView tokenValuesView(const RolloutSample& sample, TokenQuantity quantity) {
    TokenValuesView v;
    const TokenValues& t = sample.tokens;
    v.texts = tokenTexts(t.ids, QString::fromStdString(sample.completion));
    switch (quantity) {
        case TokenQuantity::probability:
            v.classNames = rangeNames(kProbabilityEdges, QStringLiteral("p"));
            v.classColors = spread(viz::ColorMap::viridis(0, 1), int(v.classNames.size()));
            break;
        case TokenQuantity::entropy:
            v.classNames = rangeNames(kEntropyEdges, QStringLiteral("H"));
            // Uncertain tokens stand out bright, as low-probability ones do dark.
            v.classColors = spread(viz::ColorMap::viridis(0, 1), int(v.classNames.size()));
            std::reverse(v.classColors.begin(), v.classColors.end());
            break;
        case TokenQuantity::push:
            v.classNames = rangeNames(kPushEdges, tr("push"));
            v.classColors = spread(viz::ColorMap::diverging(0, 0.5, 1), int(v.classNames.size()));
            break;
    }
    for (std::size_t i = 0; i < t.ids.size(); ++i) {
        if (i >= t.values_size()) {
            v.classes.push_back(-1);
            v.toolTips << tr("no values: past the trained context");
            continue;
        }
        const double lp = t.logprob[i], h = t.entropy[i];
        const double push = sample.advantage * (1.0 - std::exp(lp));
        v.classes.push_back(tokenClass(quantity, lp, h, sample.advantage));
        v.toolTips << tr("token %1 · p = %2 (log p %3) · entropy %4 nats · push %5")
                          .arg(i)
                          .arg(std::exp(lp), 0, 'f', 3)
                          .arg(lp, 0, 'f', 3)
                          .arg(h, 0, 'f', 3)
                          .arg(push, 0, 'f', 3);
    }
    return v;
}

}  // namespace tinyseek::gui
