// Why an import could not start: nothing recognisable at the path, or it cannot be read.
// Problems inside a recognised source are not errors: they are ImportIssues, and the rest of
// the source is imported.
#pragma once

#include <stdexcept>
#include <string>

namespace tinyseek::imports {

struct ImportError : std::runtime_error {
    enum class Kind { not_recognised, io };
    ImportError(Kind kind, const std::string& what) : std::runtime_error(what), kind_(kind) {}
    Kind kind() const { return kind_; }

  private:
    Kind kind_;
};

}  // namespace tinyseek::imports
