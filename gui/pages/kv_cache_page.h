// KV Cache page. KV-cache memory per attention variant, computed and measured.
#pragma once

#include "gui/pages/page.h"

namespace tinyseek::gui {

class KvCachePage : public Page {
    Q_OBJECT

  public:
    static constexpr const char* kId = "kv-cache";
    explicit KvCachePage(QWidget* parent = nullptr);
};

}  // namespace tinyseek::gui
