// Where the Inference page's model comes from: a checkpoint directory, or a fresh tiny model.
// core/ and training/ headers first: they name a member `slots`, which Qt's keyword macro
// would rewrite.
#include "core/checkpoint.h"
#include "core/param_store.h"
#include "training/run_checkpoints.h"

#include "gui/pages/inference_page_model.h"

namespace tinyseek::gui {

std::shared_ptr<InferencePage::Model> InferencePage::freshModel(const QString& description) {
    auto ck = std::make_shared<Checkpoint>();
    ck->config = ModelConfig::preset("tiny");
    ck->params = ParamStore(ck->config);
    init_params(ck->params, /*seed=*/0);
    auto model = std::make_shared<Model>();
    model->checkpoint = std::move(ck);
    model->description = description;
    return model;
}

std::shared_ptr<InferencePage::Model> InferencePage::loadModel(const QString& dir, QString* error) {
    try {
        if (!is_checkpoint_dir(dir.toStdString())) {
            *error =
                tr("not a checkpoint directory (it needs config.json and "
                   "model.safetensors)");
            return nullptr;
        }
        CheckpointLoadOptions load;
        load.optimizer = false;
        auto model = std::make_shared<Model>();
        model->checkpoint =
            std::make_shared<const Checkpoint>(load_checkpoint(dir.toStdString(), load));
        model->trained = true;
        model->dir = dir;
        return model;
    } catch (const std::exception& e) {
        *error = QString::fromUtf8(e.what());
        return nullptr;
    }
}

QList<InferencePage::CheckpointEntry> InferencePage::checkpointsBeside(const QString& dir) {
    QList<CheckpointEntry> out;
    for (const CheckpointRef& ref : checkpoints_beside(dir.toStdString()))
        out << CheckpointEntry{ref.step, QString::fromStdString(ref.dir)};
    return out;
}

}  // namespace tinyseek::gui
