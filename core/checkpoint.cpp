#include "core/checkpoint.h"

#include <fcntl.h>
#include <stdio.h>  // renameat2, RENAME_EXCHANGE (glibc >= 2.28, _GNU_SOURCE)
#include <stdlib.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <vector>

#include "core/atomic_file.h"
#include "core/errors.h"

namespace tinyseek {

namespace fs = std::filesystem;

namespace {

constexpr const char* kExpAvg = ".exp_avg";
constexpr const char* kExpAvgSq = ".exp_avg_sq";

std::string errno_text(int err) {
    return std::strerror(err);
}

// "runs/ckpt/" -> "runs/ckpt", so the temp dir is a sibling and not a child.
fs::path normalised(const std::string& dir) {
    fs::path p = fs::path(dir).lexically_normal();
    if (p.filename().empty()) p = p.parent_path();
    if (p.empty()) throw CheckpointError("checkpoint directory name is empty");
    return p;
}

// A fresh directory "<base>.<tag>-XXXXXX" next to base.
fs::path make_sibling_dir(const fs::path& base, const char* tag) {
    std::string templ = base.string() + "." + tag + "-XXXXXX";
    std::vector<char> buf(templ.begin(), templ.end());
    buf.push_back('\0');
    if (::mkdtemp(buf.data()) == nullptr)
        throw CheckpointError(base.string() + ": cannot create a temp directory next to it (" +
                              errno_text(errno) + ")");
    return fs::path(buf.data());
}

bool dir_is_empty(const fs::path& p) {
    std::error_code ec;
    return fs::is_empty(p, ec) && !ec;
}

// Removes a temp directory on scope exit unless released.
class TempDirGuard {
  public:
    explicit TempDirGuard(fs::path p) : path_(std::move(p)) {}
    ~TempDirGuard() {
        if (!path_.empty()) {
            std::error_code ec;
            fs::remove_all(path_, ec);
        }
    }
    void release() { path_.clear(); }

  private:
    fs::path path_;
};

std::vector<TensorRef> optimizer_refs(const ParamStore& params, const OptimizerStateView& opt) {
    std::vector<TensorRef> refs;
    for (const TensorSpec& t : params.layout().tensors()) {
        if (!t.trainable) continue;
        refs.push_back({t.name + kExpAvg, t.shape, opt.exp_avg->data().data() + t.offset});
        refs.push_back({t.name + kExpAvgSq, t.shape, opt.exp_avg_sq->data().data() + t.offset});
    }
    return refs;
}

std::vector<TensorSlot> optimizer_slots(const ParamLayout& layout, ParamStore* m, ParamStore* v) {
    std::vector<TensorSlot> slots;
    for (const TensorSpec& t : layout.tensors()) {
        if (!t.trainable) continue;
        slots.push_back({t.name + kExpAvg, t.shape, m ? m->data().data() + t.offset : nullptr});
        slots.push_back({t.name + kExpAvgSq, t.shape, v ? v->data().data() + t.offset : nullptr});
    }
    return slots;
}

void check_same_layout(const ParamStore& params, const ParamStore* other, const char* what) {
    if (other == nullptr)
        throw CheckpointError(std::string("optimizer state: ") + what + " is missing");
    if (other->layout().total_floats() != params.layout().total_floats() ||
        other->data().size() != params.data().size() ||
        other->layout().tensors().size() != params.layout().tensors().size())
        throw CheckpointError(std::string("optimizer state: ") + what + " has " +
                              std::to_string(other->data().size()) + " floats, the model has " +
                              std::to_string(params.data().size()));
}

// Before a layout for `config` is built and allocated, make sure the file could hold it: a
// corrupt or hostile config.json must not make us build millions of tensor specs or
// allocate gigabytes for a small file. Every block has at least one tensor, and every MoE
// block three per routed expert.
void check_plausible(const ModelConfig& c, const SafetensorsFile& file) {
    const uint64_t entries = file.entries().size();
    const uint64_t moe_blocks = static_cast<uint64_t>(
        c.num_hidden_layers - c.first_k_dense_replace + c.num_nextn_predict_layers);
    if (static_cast<uint64_t>(c.num_blocks()) > entries ||
        moe_blocks * 3 * static_cast<uint64_t>(c.n_routed_experts) > entries)
        throw CheckpointError(file.source() + ": holds " + std::to_string(entries) +
                              " tensors, far fewer than config.json describes (" +
                              std::to_string(c.num_blocks()) + " blocks, " +
                              std::to_string(c.n_routed_experts) + " routed experts)");
}

void check_slots_fit(const SafetensorsFile& file, const std::vector<TensorSlot>& slots) {
    file.check_matches(slots);  // names and shapes, before anything is allocated
}

void validate_save_inputs(const ParamStore& params, const Tokenizer& tokenizer,
                          const OptimizerStateView* opt, const Metadata& metadata,
                          const std::string& dir) {
    params.config().validate(dir + "/" + kConfigFile);
    if (params.data().size() != params.layout().total_floats())
        throw CheckpointError(dir + ": parameter block has " +
                              std::to_string(params.data().size()) + " floats, layout needs " +
                              std::to_string(params.layout().total_floats()));
    tokenizer.check_fits(params.config().vocab_size, dir + "/" + kConfigFile);
    if (metadata.count("format"))
        throw CheckpointError(dir + ": metadata key 'format' is reserved");
    if (opt) {
        check_same_layout(params, opt->exp_avg, "exp_avg");
        check_same_layout(params, opt->exp_avg_sq, "exp_avg_sq");
        if (opt->step < 0)
            throw CheckpointError(dir + ": optimizer step must be >= 0, got " +
                                  std::to_string(opt->step));
        if (opt->scalars.count("step"))
            throw CheckpointError(dir + ": optimizer scalar key 'step' is reserved");
    }
}

// Puts `tmp` (complete) under the name `final_dir`; afterwards `tmp` holds the old
// directory (or nothing) and is removed by the caller's guard.
void swap_into_place(const fs::path& tmp, const fs::path& final_dir, bool exists,
                     bool allow_exchange) {
    if (!exists) {
        if (::rename(tmp.c_str(), final_dir.c_str()) != 0)
            throw CheckpointError(final_dir.string() +
                                  ": cannot move the new checkpoint in place (" +
                                  errno_text(errno) + ")");
        return;
    }
    // One atomic step: the two names trade places, so DIR is always a complete checkpoint.
    const int err =
        allow_exchange
            ? (::renameat2(AT_FDCWD, tmp.c_str(), AT_FDCWD, final_dir.c_str(), RENAME_EXCHANGE) == 0
                   ? 0
                   : errno)
            : EINVAL;
    if (err == 0) return;
    if (err != EINVAL && err != ENOSYS && err != ENOTSUP)
        throw CheckpointError(final_dir.string() + ": cannot replace the old checkpoint (" +
                              errno_text(err) + ")");
    // No RENAME_EXCHANGE on this file system: old -> backup, new -> DIR, and the old one
    // goes back if the second step fails. A crash between the two steps leaves DIR absent
    // and the complete old checkpoint in the backup, never a partial one under DIR.
    const fs::path backup = make_sibling_dir(final_dir, "old");
    if (::rename(final_dir.c_str(), backup.c_str()) != 0) {
        const int e = errno;
        ::rmdir(backup.c_str());
        throw CheckpointError(final_dir.string() + ": cannot move the old checkpoint aside (" +
                              errno_text(e) + ")");
    }
    if (::rename(tmp.c_str(), final_dir.c_str()) != 0) {
        const int e = errno;
        ::rename(backup.c_str(), final_dir.c_str());
        throw CheckpointError(final_dir.string() + ": cannot move the new checkpoint in place (" +
                              errno_text(e) + ")");
    }
    // tmp is now free; move the backup there so the caller's guard removes it.
    ::rename(backup.c_str(), tmp.c_str());
}

}  // namespace

bool is_checkpoint_dir(const std::string& dir) {
    std::error_code ec;
    return fs::is_regular_file(fs::path(dir) / kConfigFile, ec) &&
           fs::is_regular_file(fs::path(dir) / kModelFile, ec);
}

void save_checkpoint(const std::string& dir, const ParamStore& params, const Tokenizer& tokenizer,
                     const OptimizerStateView* optimizer, const Metadata& metadata,
                     const CheckpointSaveOptions& options) {
    const fs::path final_dir = normalised(dir);
    validate_save_inputs(params, tokenizer, optimizer, metadata, final_dir.string());

    std::error_code ec;
    const bool exists = fs::exists(final_dir, ec);
    if (exists) {
        if (!fs::is_directory(final_dir, ec))
            throw CheckpointError(final_dir.string() + ": exists and is not a directory");
        if (!dir_is_empty(final_dir) && !is_checkpoint_dir(final_dir.string()))
            throw CheckpointError(final_dir.string() +
                                  ": exists and is not a checkpoint directory (no config.json "
                                  "and model.safetensors); refusing to replace it");
    }
    const fs::path parent = final_dir.has_parent_path() ? final_dir.parent_path() : fs::path(".");
    fs::create_directories(parent, ec);
    if (ec)
        throw CheckpointError(parent.string() + ": cannot create directory (" + ec.message() + ")");

    const fs::path tmp = make_sibling_dir(final_dir, "tmp");
    TempDirGuard guard(tmp);
    auto progress = [&](std::string_view file) {
        if (options.on_progress) options.on_progress(file);
    };

    ModelConfig config = params.config();
    config.save((tmp / kConfigFile).string());
    progress(kConfigFile);
    tokenizer.save((tmp / kTokenizerFile).string());
    progress(kTokenizerFile);
    Metadata model_meta = metadata;
    model_meta["format"] = "pt";  // what Hugging Face's loaders expect
    save_params((tmp / kModelFile).string(), params, model_meta);
    progress(kModelFile);
    if (optimizer) {
        Metadata opt_meta = optimizer->scalars;
        opt_meta["step"] = std::to_string(optimizer->step);
        write_safetensors((tmp / kOptimizerFile).string(), optimizer_refs(params, *optimizer),
                          opt_meta);
        progress(kOptimizerFile);
    }
    sync_directory(tmp.string());
    progress("");
    swap_into_place(tmp, final_dir, exists, options.allow_rename_exchange);
    sync_directory(parent.string());
}

Checkpoint load_checkpoint(const std::string& dir, const CheckpointLoadOptions& options) {
    const fs::path root = normalised(dir);
    std::error_code ec;
    if (!fs::is_directory(root, ec))
        throw CheckpointError(root.string() +
                              ": not a checkpoint directory (does not exist or "
                              "is not a directory)");
    for (const char* name : {kConfigFile, kModelFile, kTokenizerFile})
        if (!fs::is_regular_file(root / name, ec))
            throw CheckpointError(root.string() + ": missing " + name);

    const ModelConfig config = ModelConfig::load((root / kConfigFile).string());
    Checkpoint ck{config, ParamStore(), Tokenizer(), {}, std::nullopt};
    ck.tokenizer = Tokenizer::load((root / kTokenizerFile).string(), config.vocab_size);

    const SafetensorsFile model = SafetensorsFile::read((root / kModelFile).string());
    check_plausible(config, model);
    const ParamLayout layout(config);
    {
        std::vector<TensorSlot> slots;
        for (const TensorSpec& t : layout.tensors()) slots.push_back({t.name, t.shape, nullptr});
        check_slots_fit(model, slots);
    }
    ck.params = ParamStore(config);
    model.load_into(tensor_slots(ck.params));
    ck.metadata = model.metadata();
    ck.metadata.erase("format");

    const fs::path opt_path = root / kOptimizerFile;
    if (options.optimizer && fs::exists(opt_path, ec)) {
        const SafetensorsFile file = SafetensorsFile::read(opt_path.string());
        check_slots_fit(file, optimizer_slots(layout, nullptr, nullptr));
        OptimizerState state{ParamStore(config), ParamStore(config), 0, file.metadata()};
        file.load_into(optimizer_slots(layout, &state.exp_avg, &state.exp_avg_sq));
        const auto step = state.scalars.find("step");
        if (step == state.scalars.end())
            throw CheckpointError(opt_path.string() + ": __metadata__ has no 'step'");
        try {
            size_t used = 0;
            state.step = std::stoll(step->second, &used);
            if (used != step->second.size() || state.step < 0) throw std::invalid_argument("");
        } catch (const std::exception&) {
            throw CheckpointError(opt_path.string() +
                                  ": __metadata__ 'step' must be a non-negative integer, got \"" +
                                  step->second + "\"");
        }
        state.scalars.erase(step);
        ck.optimizer = std::move(state);
    }
    return ck;
}

}  // namespace tinyseek
