#include "gui/pages/kv_cache_page.h"

namespace tinyseek::gui {

KvCachePage::KvCachePage(QWidget* parent) : Page(QString::fromLatin1(kId), parent) {
    setTitle(tr("KV Cache"));
    setEmptyStateText(
        tr("KV-cache bytes per token for MHA, GQA, MQA and MLA, and the cache memory measured "
           "while generating, will appear here once a model is loaded."));
}

}  // namespace tinyseek::gui
