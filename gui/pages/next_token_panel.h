// The Explore page's next-token panel: what the model predicts after the text. The ten most
// likely tokens and "rest" as bars, the model's own probability (grey) beside what the sampler
// would draw with under the temperature, top-k and top-p set here (excluded tokens have no
// coloured bar), the entropies, and the MTP module's guess for the token after next. Below,
// the text so far, each token coloured by the probability the model gave it. Buttons (and a
// click on a bar) ask the page to append a token; the panel itself only draws.
#pragma once

// Core headers first (Eigen before Qt).
#include "core/forward_inspection.h"
#include "core/next_token.h"
#include "core/tokenizer.h"

#include <QList>
#include <QString>
#include <QWidget>

#include <optional>

class QLabel;
class QPushButton;
class QSlider;
class QSpinBox;

namespace tinyseek::viz {
class BarChart;
class Exportable;
class TokenStrip;
}  // namespace tinyseek::viz

namespace tinyseek::gui {

class NamedFigure;

class NextTokenPanel : public QWidget {
    Q_OBJECT

  public:
    explicit NextTokenPanel(QWidget* parent = nullptr);
    ~NextTokenPanel() override;

    // The inspection of the current text, its tokens named by `tokenizer`. Redraws the bars under
    // the current sampling settings.
    void showInspection(const ForwardInspection& inspection, const Tokenizer& tokenizer);
    void clear(const QString& why);
    void setUndoEnabled(bool enabled);

    SamplingParams sampling() const;
    void setSampling(const SamplingParams& sampling);
    const NextTokenDistribution& distribution() const { return m_distribution; }

    viz::BarChart* bars() const { return m_bars; }
    viz::TokenStrip* textStrip() const { return m_text; }
    QLabel* summary() const { return m_summary; }
    QList<viz::Exportable*> exportables() const;

    // Probability buckets of the text strip: index of the bucket of `p` (NaN: -1).
    static int probabilityBucket(double p);

  signals:
    void appendRequested(int token);
    void sampleRequested();
    void undoRequested();

  private:
    QWidget* buildControls();
    QWidget* buildButtons();
    void redraw();
    void drawText();
    QString tokenLabel(int token) const;

    QSlider* m_temperature = nullptr;
    QSpinBox* m_topK = nullptr;
    QSlider* m_topP = nullptr;
    QLabel* m_temperatureValue = nullptr;
    QLabel* m_topPValue = nullptr;
    viz::BarChart* m_bars = nullptr;
    QLabel* m_summary = nullptr;
    QPushButton* m_appendTop = nullptr;
    QPushButton* m_sample = nullptr;
    QPushButton* m_undo = nullptr;
    viz::TokenStrip* m_text = nullptr;
    QList<NamedFigure*> m_figures;

    std::optional<ForwardInspection> m_inspection;
    Tokenizer m_tokenizer;  // a copy: the page may load another checkpoint meanwhile
    NextTokenDistribution m_distribution;
};

}  // namespace tinyseek::gui
