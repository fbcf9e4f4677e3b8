#include "gui/models/run_groups.h"

#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>

namespace tinyseek::gui {

namespace {

using nlohmann::json;

using FlatConfig = std::map<std::string, json>;  // dotted key -> value

// Every leaf of `j` as "a.b.c" -> value (arrays are leaves).
void flatten(const json& j, const std::string& prefix, FlatConfig& out) {
    if (!j.is_object()) {
        out[prefix] = j;
        return;
    }
    for (const auto& [key, value] : j.items())
        flatten(value, prefix.empty() ? key : prefix + "." + key, out);
}

// A stored config's leaves without "name" and "out_dir"; none when it is not a JSON object.
std::optional<FlatConfig> flatConfig(const QString& text) {
    try {
        const json j = json::parse(text.toStdString());
        if (!j.is_object()) return std::nullopt;
        FlatConfig flat;
        flatten(j, "", flat);
        flat.erase("name");
        flat.erase("out_dir");
        return flat;
    } catch (const json::exception&) {
        return std::nullopt;
    }
}

}  // namespace

QStringList differingConfigKeys(const QList<RunConfig>& runs) {
    std::vector<FlatConfig> flat;
    std::set<std::string> keys;
    for (const RunConfig& r : runs) {
        std::optional<FlatConfig> f = flatConfig(r.configJson);
        if (!f) continue;
        for (const auto& [key, value] : *f) keys.insert(key);
        flat.push_back(std::move(*f));
    }
    QStringList out;
    if (flat.empty()) return out;
    for (const std::string& key : keys) {
        const auto ref = flat.front().find(key);
        for (const FlatConfig& f : flat) {
            const auto it = f.find(key);
            if (ref == flat.front().end() || it == f.end() || it->second != ref->second) {
                out << QString::fromStdString(key);
                break;
            }
        }
    }
    return out;
}

QList<QList<qint64>> groupRuns(const QList<RunConfig>& runs, const QString& key) {
    QList<QList<qint64>> groups;
    std::vector<std::pair<std::string, int>> identities;  // (kind + config without key, group)
    for (const RunConfig& r : runs) {
        std::optional<FlatConfig> flat = flatConfig(r.configJson);
        if (!flat) {
            groups.append(QList<qint64>{r.id});
            continue;
        }
        flat->erase(key.toStdString());
        // A control arm stores the step budget it measured from its GRPO stage's training time
        // as sft.steps: an outcome of the seed, not a choice.
        if (r.kind == QLatin1String("control")) flat->erase("sft.steps");
        const std::string identity = r.kind.toStdString() + "\n" + json(*flat).dump();
        int group = -1;
        for (const auto& [id, g] : identities)
            if (id == identity) group = g;
        if (group < 0) {
            identities.emplace_back(identity, static_cast<int>(groups.size()));
            groups.append(QList<qint64>{r.id});
        } else {
            groups[group].append(r.id);
        }
    }
    return groups;
}

}  // namespace tinyseek::gui
