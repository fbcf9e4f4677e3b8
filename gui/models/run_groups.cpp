#include "gui/models/run_groups.h"

#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>

namespace tinyseek::gui {

namespace {

using nlohmann::json;

std::optional<json> parsed(const QString& text) {
    try {
        json j = json::parse(text.toStdString());
        if (!j.is_object()) return std::nullopt;
        j.erase("name");
        j.erase("out_dir");
        return j;
    } catch (const json::exception&) {
        return std::nullopt;
    }
}

// Every leaf of `j` as "a.b.c" -> value (arrays are leaves).
void flatten(const json& j, const std::string& prefix, std::map<std::string, json>& out) {
    if (!j.is_object()) {
        out[prefix] = j;
        return;
    }
    for (const auto& [key, value] : j.items())
        flatten(value, prefix.empty() ? key : prefix + "." + key, out);
}

}  // namespace

QStringList differingConfigKeys(const QList<RunConfig>& runs) {
    std::vector<std::map<std::string, json>> flat;
    std::set<std::string> keys;
    for (const RunConfig& r : runs) {
        const std::optional<json> j = parsed(r.configJson);
        if (!j) continue;
        flat.emplace_back();
        flatten(*j, "", flat.back());
        for (const auto& [key, value] : flat.back()) keys.insert(key);
    }
    QStringList out;
    if (flat.empty()) return out;
    for (const std::string& key : keys) {
        for (const auto& f : flat) {
            const auto it = f.find(key);
            const auto ref = flat.front().find(key);
            const bool same =
                it != f.end() && ref != flat.front().end() && it->second == ref->second;
            if (!same) {
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
        std::optional<json> j = parsed(r.configJson);
        if (!j) {
            groups.append(QList<qint64>{r.id});
            continue;
        }
        std::map<std::string, json> flat;
        flatten(*j, "", flat);
        flat.erase(key.toStdString());
        // A control arm stores the step budget it measured from its GRPO stage's training time
        // as sft.steps: an outcome of the seed, not a choice.
        if (r.kind == QLatin1String("control")) flat.erase("sft.steps");
        const std::string identity = r.kind.toStdString() + "\n" + json(flat).dump();
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
