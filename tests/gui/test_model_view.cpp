// The Explore page's model view: its summary is model_structure's totals (held to numbers
// worked out by hand in tests/core/test_model_structure.cpp, which are model-info's), identical
// blocks are drawn as one row, a click on a box lists that part's tensors, and the
// DeepSeek-V3 preset is drawn from its config without allocating anything.
#include "core/model_structure.h"

#include <QHeaderView>
#include <QLabel>
#include <QTableWidget>
#include <QTest>

#include "gui/pages/model_view_panel.h"
#include "viz/model_diagram.h"

using namespace tinyseek;
using namespace tinyseek::gui;

class TestModelView : public QObject {
    Q_OBJECT

  private slots:
    void tinyRowsTotalsAndTensors() {
        ModelViewPanel panel;
        QVERIFY(panel.exportables().isEmpty());  // no model yet
        panel.setCheckpointConfig(ModelConfig::preset("tiny"));
        const QList<viz::DiagramRow>& rows = panel.diagram()->rows();
        QCOMPARE(rows.size(), 5);  // input, block 0, blocks 1-3, output, MTP
        QCOMPARE(rows[2].label, QStringLiteral("Blocks 1–3 (×3)"));
        QVERIFY(rows[2].boxes[1].title.startsWith(QStringLiteral("MoE: 1 shared + 8 routed")));
        QVERIFY(rows[2].boxes[1].lines.join(' ').contains(QStringLiteral("148,616 active")));
        // What the diagram says is model-info's (by hand: 2,228,480 / 815,640 / 384 B).
        const QString summary = panel.diagram()->summary().join(' ');
        for (const char* figure : {"2,228,480 parameters", "815,640 active", "384 B per token",
                                   "2.50 MFLOP per token forward at 128 tokens"})
            QVERIFY2(summary.contains(QLatin1String(figure)), figure);
        const ModelStructure& s = panel.structure();
        QCOMPARE(s.total_params, 2228480);
        QCOMPARE(s.active_per_token, 815640);
        QCOMPARE(s.kv_bytes_per_token, 384);
        // Clicking the MoE box of blocks 1-3 lists block 1's MoE tensors.
        panel.diagram()->resize(700, 520);
        const QRectF box = panel.diagram()->boxRect(QPoint(2, 1), panel.diagram()->rect());
        QTest::mouseClick(panel.diagram(), Qt::LeftButton, {}, box.center().toPoint());
        QCOMPARE(panel.diagram()->selected(), QPoint(2, 1));
        const ModelPart& moe = s.parts[4];
        QCOMPARE(panel.tensorTable()->rowCount(), int(moe.tensors.size()));
        QCOMPARE(panel.tensorTable()->item(0, 0)->text(),
                 QString::fromStdString(moe.tensors[0].name));
        QVERIFY(panel.tensorTable()->item(0, 0)->text().startsWith("model.layers.1."));
        QVERIFY(panel.partInfo()->text().contains(QStringLiteral("443,528 parameters")));
        QVERIFY(panel.partInfo()->text().contains(QStringLiteral("other 2 block(s)")));
    }

    void deepSeekV3IsDrawnFromItsConfig() {
        ModelViewPanel panel;
        panel.showSource(2);
        const QList<viz::DiagramRow>& rows = panel.diagram()->rows();
        QCOMPARE(rows.size(), 5);  // input, blocks 0-2 (dense), blocks 3-60 (MoE), output, MTP
        QCOMPARE(rows[1].label, QStringLiteral("Blocks 0–2 (×3)"));
        QCOMPARE(rows[2].label, QStringLiteral("Blocks 3–60 (×58)"));
        QCOMPARE(panel.structure().kv_bytes_per_token, 70272);
        QCOMPARE(panel.exportables().size(), 1);
    }
};

QTEST_MAIN(TestModelView)
#include "test_model_view.moc"
