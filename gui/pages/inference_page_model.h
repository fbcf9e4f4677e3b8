// The Inference page's model, shared by gui/pages/inference_page*.cpp (which include the core
// headers before Qt's). Immutable once made, so a measurement on the worker thread reads it
// while the page may already have moved on to another model.
#pragma once

#include <QList>
#include <QString>

#include <memory>

#include "core/checkpoint.h"
#include "gui/pages/inference_page.h"

namespace tinyseek::gui {

struct InferencePage::Model {
    std::shared_ptr<const Checkpoint> checkpoint;  // weights, config, tokenizer, metadata
    bool trained = false;  // false: freshly initialised (drafts are not worth measuring)
    QString dir;           // the checkpoint directory; empty for a fresh model
    QString description;   // the page's model line
    QList<CheckpointEntry> checkpoints;  // by step: the curve over training
};

}  // namespace tinyseek::gui
