// Page: the base of every workbench page (Training, Routing, KV Cache, ...). MainWindow puts
// each page into its own QDockWidget, titled with title(). A page starts in its empty state:
// one honest line saying what it will show. Subclasses add their real widgets to
// contentLayout() and call setEmptyStateVisible(false) once they have something to show
// (and true again when their data goes away, e.g. when a database is closed).
#pragma once

#include <QPointer>
#include <QString>
#include <QWidget>

class QLabel;
class QVBoxLayout;

namespace tinyseek::gui {

class RunReader;

class Page : public QWidget {
    Q_OBJECT

  public:
    // `id` is the stable, untranslated name used on the command line (--page), in object
    // names and in saved layouts: "training", "routing", "inference", ...
    explicit Page(const QString& id, QWidget* parent = nullptr);

    QString id() const { return m_id; }
    QString title() const { return m_title; }  // translated, shown on the dock tab
    QString emptyStateText() const;
    bool isEmptyStateVisible() const;
    // True while the page computes something it is about to show (e.g. on a worker thread);
    // screenshots wait for it.
    virtual bool isBusy() const { return false; }

    // Brings a part of the page to the front, named by a section id that --page accepts
    // (pageSectionForName in gui/pages/page_registry.h), e.g. the Inference page's KV cache
    // tab for "kv-cache". Pages without sections ignore it.
    virtual void showSection(const QString& section);

    // Where the page reads stored runs: the MetricsHub's reader in the window (tests may give
    // one of their own). Not owned. A page that reads nothing ignores it.
    virtual void setReader(RunReader* reader);
    RunReader* reader() const;

  protected:
    void setTitle(const QString& title);
    void setEmptyStateText(const QString& text);
    void setEmptyStateVisible(bool visible);
    // Where subclasses put their widgets; the empty-state line sits in it too.
    QVBoxLayout* contentLayout() const { return m_contentLayout; }

  private:
    QPointer<RunReader> m_reader;
    QString m_id;
    QString m_title;
    QLabel* m_emptyState = nullptr;
    QVBoxLayout* m_contentLayout = nullptr;
};

}  // namespace tinyseek::gui
