// The Rollouts page's group views: the grouped view of a selected row (every member of its
// group, advantages on a diverging scale, the per-token strip coloured by the picked quantity),
// the unique-prompt mode, the held-out samples and the histograms over steps; and the per-token
// colour classes against hand-placed values.
#include <QDir>
#include <QTableView>
#include <QTableWidget>
#include <QTest>

#include <cmath>

#include "gui/models/rollout_group_model.h"
#include "gui/models/rollout_table_model.h"
#include "gui/models/token_values_view.h"
#include "gui/pages/rollout_distribution_view.h"
#include "gui/pages/rollout_group_view.h"
#include "gui/pages/rollouts_page.h"
#include "read_wait.h"
#include "viz/heatmap_widget.h"
#include "viz/token_strip.h"

using namespace tinyseek;
using namespace tinyseek::gui;

namespace {

constexpr int kSteps = 3, kGroups = 3, kMembers = 4;

// Member g of group p at step s: "<answer>g</answer>" (ids 5, 10+g, 6), right when g == p
// (so group p has one right answer, group 0's first member), token probabilities 0.9, 0.4 and
// 0.03 (classes 4, 2, 0); two held-out samples per evaluation at every step.
std::int64_t addGroupedRun(RunStore& store) {
    const std::int64_t id = store.create_run({"grouped", "grpo", "{}", {}});
    for (int s = 0; s < kSteps; ++s) {
        StepReport r;
        r.run_id = id;
        r.step = s;
        r.wall_time = s;
        r.stage = Stage::grpo;
        for (int p = 0; p < kGroups; ++p)
            for (int g = 0; g < kMembers; ++g) {
                RolloutSample x;
                x.prompt = std::to_string(p) + "+" + std::to_string(s) + "=";
                x.completion = "<answer>" + std::to_string(g) + "</answer>";
                x.reward.accuracy = g == p ? 1.0 : 0.0;
                x.reward.total = x.reward.accuracy;
                x.advantage = g == p ? 1.5 : -0.5;
                x.length = 3;
                x.group = p;
                x.member = g;
                x.tokens = {{5, 10 + g, 6},
                            {std::log(0.9f), std::log(0.4f), std::log(0.03f)},
                            {0.05f, 0.7f, 2.5f}};
                x.mean_logprob = (std::log(0.9) + std::log(0.4) + std::log(0.03)) / 3;
                r.rollouts.push_back(x);
            }
        for (int problem : {0, 1}) {
            RolloutSample e;
            e.source = RolloutSource::eval;
            e.prompt = "held" + std::to_string(problem);
            e.completion = "x";
            e.length = 1 + s;
            e.group = problem;
            e.member = 0;
            r.rollouts.push_back(e);
        }
        store.append_step(r);
    }
    return id;
}

}  // namespace

class TestRolloutGroups : public QObject {
    Q_OBJECT

    std::string m_path;
    std::int64_t m_run = 0;

  private slots:
    void initTestCase() {
        const QString dir = QStringLiteral(TINYSEEK_TEST_TMP) + QStringLiteral("/rollout_groups");
        QDir(dir).removeRecursively();
        QVERIFY(QDir().mkpath(dir));
        m_path = (dir + QStringLiteral("/runs.db")).toStdString();
        RunStore store(m_path);
        m_run = addGroupedRun(store);
    }

    void tokenClassesFollowTheFixedEdges() {
        QCOMPARE(tokenClass(TokenQuantity::probability, std::log(0.03), 0, 0), 0);
        QCOMPARE(tokenClass(TokenQuantity::probability, std::log(0.4), 0, 0), 2);
        QCOMPARE(tokenClass(TokenQuantity::probability, std::log(0.99), 0, 0), 5);
        QCOMPARE(tokenClass(TokenQuantity::entropy, 0, 0.05, 0), 0);
        QCOMPARE(tokenClass(TokenQuantity::entropy, 0, 2.5, 0), 6);
        // push = A (1 - p): 1.5 * 0.6 = 0.9 (class 7 of 9), -0.5 * 0.6 = -0.3 (class 2), and a
        // sure token (p = 1) is not pushed at all (class 4, around 0).
        QCOMPARE(tokenClass(TokenQuantity::push, std::log(0.4), 0, 1.5), 7);
        QCOMPARE(tokenClass(TokenQuantity::push, std::log(0.4), 0, -0.5), 2);
        QCOMPARE(tokenClass(TokenQuantity::push, 0.0, 0, 3.0), 4);
    }

    void tokenTextsAreCutFromTheCompletion() {
        // <think> is id 3, <eos> id 2 (not in the decoded text), others one character each.
        QCOMPARE(tokenTexts({3, 40, 41, 4, 2}, QStringLiteral("<think>ab</think>")),
                 (QStringList{"<think>", "a", "b", "</think>", "<eos>"}));
    }

    void selectedRowShowsItsWholeGroup() {
        RunReader reader;
        RolloutsPage page;
        page.setReader(&reader);
        page.setRun(QString::fromStdString(m_path), m_run);
        QVERIFY(waitForReads(reader));
        RolloutGroupView* group = page.groupView();
        // The first row is selected at once: step 0, group 0, with all its members.
        QCOMPARE(int(group->members().size()), kMembers);
        QVERIFY(group->headerText().contains(QStringLiteral("4 completions, 1 right")));
        // Row 6 is group 1, member 2.
        page.showGroupOfRow(6);
        QVERIFY(waitForReads(reader));
        QCOMPARE(group->members().front().sample.group, 1);
        QCOMPARE(group->table()->currentRow(), 2);
        // Advantages on a diverging scale: the right answer (member 1) red, the rest blue.
        const QColor right =
            group->table()->item(1, RolloutGroupView::Advantage)->background().color();
        const QColor wrong =
            group->table()->item(0, RolloutGroupView::Advantage)->background().color();
        QVERIFY(right.red() > right.blue());
        QVERIFY(wrong.blue() > wrong.red());
        // The per-token strip: texts cut from the completion, probability classes 4, 2, 0.
        viz::TokenStrip* strip = group->strip();
        QCOMPARE(strip->tokens(), (QStringList{"<answer>", "2", "</answer>"}));
        QCOMPARE(strip->categories(), (std::vector<int>{4, 2, 0}));
        group->setQuantity(TokenQuantity::entropy);
        QCOMPARE(strip->categories(), (std::vector<int>{0, 3, 6}));
        group->setQuantity(TokenQuantity::push);  // member 2 of group 1: advantage -0.5
        // -0.5 * 0.6 = -0.3 and -0.5 * 0.97 = -0.485: class 2 (-0.5 to -0.2).
        QCOMPARE(strip->categories()[1], 2);
        QCOMPARE(strip->categories()[2], 2);
        QVERIFY(!page.exportables().isEmpty());
    }

    void uniquePromptModeListsEachPromptOnce() {
        RunReader reader;
        RolloutsPage page;
        page.setReader(&reader);
        page.setUniquePrompts(true);
        page.setRun(QString::fromStdString(m_path), m_run);
        QVERIFY(waitForReads(reader));
        RolloutGroupModel* groups = page.groupModel();
        QCOMPARE(groups->rowCount(), kSteps * kGroups);
        QCOMPARE(groups->data(groups->index(1, RolloutGroupModel::Correct)).toString(),
                 QStringLiteral("1 of 4"));
        QCOMPARE(groups->data(groups->index(1, RolloutGroupModel::Prompt)).toString(),
                 QStringLiteral("1+0="));
        QVERIFY(page.countText().contains(QStringLiteral("9 prompts")));
        page.showGroupOfRow(4);  // step 1, group 1
        QVERIFY(waitForReads(reader));
        QCOMPARE(page.groupView()->members().front().step, 1);
        QCOMPARE(page.groupView()->members().front().sample.group, 1);
        page.setMinimumReward(true, 2.0);  // no group reaches 2
        QVERIFY(waitForReads(reader));
        QCOMPARE(groups->rowCount(), 0);
    }

    void heldOutSamplesAreBrowsable() {
        RunReader reader;
        RolloutsPage page;
        page.setReader(&reader);
        page.setSource(RolloutSource::eval);
        page.setRun(QString::fromStdString(m_path), m_run);
        QVERIFY(waitForReads(reader));
        QCOMPARE(page.model()->rowCount(), kSteps * 2);
        QCOMPARE(page.model()->totalCount(), qint64(kSteps * 2));
        QVERIFY(page.groupView()->headerText().contains(QStringLiteral("held-out problem 0")));
        // Stored without token values: the strip says so instead of staying blank.
        QVERIFY(page.groupView()->strip()->tokens().isEmpty());
    }

    void distributionsAreHistogramsOverSteps() {
        RunReader reader;
        RolloutsPage page;
        page.setReader(&reader);
        page.setRun(QString::fromStdString(m_path), m_run);
        page.showSection(QString::fromLatin1(RolloutsPage::kSections[1]));
        QVERIFY(waitForReads(reader));
        RolloutDistributionView* d = page.distributionView();
        d->setQuantity(RolloutDistributionView::Quantity::advantage);
        const viz::Matrix& m = d->heatmap()->matrix();
        QCOMPARE(m.cols(), kSteps);
        QCOMPARE(m.rows(), RolloutDistributionView::kBins);
        // Advantages -0.5 (9 of 12) and 1.5 (3 of 12) at every step: bottom and top bins.
        for (int c = 0; c < kSteps; ++c) {
            QCOMPARE(m.value(0, c), 0.25f);
            QCOMPARE(m.value(m.rows() - 1, c), 0.75f);
        }
        QVERIFY(d->noteText().contains(QStringLiteral("3 steps, 12 completions each")));
        d->setSource(RolloutSource::eval);
        d->setQuantity(RolloutDistributionView::Quantity::length);
        QVERIFY(waitForReads(reader));
        QCOMPARE(d->heatmap()->matrix().cols(), kSteps);
        QVERIFY(d->heatmap()->csv().contains(QStringLiteral("1")));
    }
};

QTEST_MAIN(TestRolloutGroups)
#include "test_rollout_groups.moc"
