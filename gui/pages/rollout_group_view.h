// RolloutGroupView: the Rollouts page's grouped view. One prompt at one step with every stored
// completion of its group side by side (reward, advantage, length, mean log-prob and entropy),
// and the per-token view of the selected completion: its tokens coloured by probability,
// entropy or advantage push (gui/models/token_values_view.h), values on hover. Read through
// the RunReader, so a large group never blocks the window.
#pragma once

#include <QList>
#include <QPointer>
#include <QString>
#include <QWidget>

#include <cstdint>
#include <vector>

#include "gui/models/token_values_view.h"
#include "training/run_store.h"

class QComboBox;
class QLabel;
class QTableWidget;

namespace tinyseek::viz {
class ColorMap;
class Exportable;
class TokenStrip;
}  // namespace tinyseek::viz

namespace tinyseek::gui {

class RunReader;

class RolloutGroupView : public QWidget {
    Q_OBJECT

  public:
    enum Column {
        Member,
        Reward,
        Accuracy,
        Advantage,
        Length,
        MeanLogprob,
        MeanEntropy,
        Completion,
        ColumnCount
    };

    explicit RolloutGroupView(QWidget* parent = nullptr);

    void setReader(RunReader* reader);
    // Reads and shows group `group` of `step` (source as stored); selects `member` (its
    // place in the group; -1 = the first) once read.
    void showGroup(const QString& dbPath, std::int64_t runId, RolloutSource source,
                   std::int64_t step, int group, int member = -1);
    void clear(const QString& why);
    void setQuantity(TokenQuantity quantity);
    void selectMember(int row);

    bool isReading() const { return m_ticket != 0; }
    const std::vector<StoredRollout>& members() const { return m_members; }
    QTableWidget* table() const { return m_table; }
    viz::TokenStrip* strip() const { return m_strip; }
    QString headerText() const;
    QList<viz::Exportable*> exportables() const;

  private:
    void buildLayout();
    void showMembers();
    void fillRow(int row, const StoredRollout& r, const viz::ColorMap& advantageColors);
    void showTokens();

    QPointer<RunReader> m_reader;
    quint64 m_ticket = 0;
    int m_wantedMember = -1;
    std::vector<StoredRollout> m_members;
    std::int64_t m_step = 0;
    int m_group = 0;
    RolloutSource m_source = RolloutSource::train;
    TokenQuantity m_quantity = TokenQuantity::probability;
    QLabel* m_header = nullptr;
    QTableWidget* m_table = nullptr;
    QComboBox* m_colorBy = nullptr;
    viz::TokenStrip* m_strip = nullptr;
};

}  // namespace tinyseek::gui
