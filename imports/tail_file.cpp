#include "imports/tail_file.h"

#include <sys/stat.h>

#include <fstream>

#include "imports/import_error.h"

namespace tinyseek::imports {

FileStamp stamp_of(const std::filesystem::path& path) {
    struct stat st{};
    if (::stat(path.c_str(), &st) != 0) return {};
    FileStamp s;
    s.device = st.st_dev;
    s.inode = st.st_ino;
    s.size = static_cast<std::uint64_t>(st.st_size);
    s.modified_ns = static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1'000'000'000 +
                    st.st_mtim.tv_nsec;
    s.exists = true;
    return s;
}

namespace {

std::string read_range(const std::filesystem::path& path, std::uint64_t from, std::uint64_t to) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        throw ImportError(ImportError::Kind::io, "cannot open '" + path.string() + "'");
    }
    std::string bytes(to - from, '\0');
    in.seekg(static_cast<std::streamoff>(from));
    in.read(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    bytes.resize(static_cast<std::size_t>(in.gcount()));  // the file may have shrunk meanwhile
    if (in.bad()) {
        throw ImportError(ImportError::Kind::io, "cannot read '" + path.string() + "'");
    }
    return bytes;
}

}  // namespace

std::string read_whole_file(const std::filesystem::path& path) {
    return read_range(path, 0, stamp_of(path).size);
}

bool TailFile::poll() {
    const FileStamp now = stamp_of(path_);
    if (!now.exists) return false;
    const bool replaced = stamp_.exists && (now.device != stamp_.device ||
                                            now.inode != stamp_.inode || now.size < offset_);
    if (replaced) {
        pending_.clear();
        offset_ = 0;
    }
    stamp_ = now;
    if (now.size > offset_) {
        const std::string more = read_range(path_, offset_, now.size);
        offset_ += more.size();
        pending_ += more;
    }
    return replaced;
}

}  // namespace tinyseek::imports
