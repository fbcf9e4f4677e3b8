#include "core/atomic_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <vector>

#include "core/errors.h"

namespace tinyseek {

namespace {

std::string parent_dir(const std::string& path) {
    std::filesystem::path parent = std::filesystem::path(path).parent_path();
    return parent.empty() ? std::string(".") : parent.string();
}

}  // namespace

AtomicFileWriter::AtomicFileWriter(std::string path) : path_(std::move(path)) {
    std::vector<char> templ(path_.begin(), path_.end());
    const char suffix[] = ".tmp-XXXXXX";
    templ.insert(templ.end(), suffix, suffix + sizeof(suffix));  // includes the '\0'
    fd_ = ::mkostemp(templ.data(), O_CLOEXEC);
    if (fd_ < 0) fail("cannot create a temp file next to it", errno);
    tmp_path_ = templ.data();
}

AtomicFileWriter::~AtomicFileWriter() {
    if (fd_ >= 0) ::close(fd_);
    if (!committed_ && !tmp_path_.empty()) ::unlink(tmp_path_.c_str());
}

void AtomicFileWriter::fail(const std::string& what, int err) {
    throw CheckpointError(path_ + ": " + what + " (" + std::strerror(err) + ")");
}

void AtomicFileWriter::write(const void* data, size_t bytes) {
    if (fd_ < 0) throw CheckpointError(path_ + ": write after commit");
    const char* p = static_cast<const char*>(data);
    while (bytes > 0) {
        const ssize_t n = ::write(fd_, p, bytes);
        if (n < 0) {
            if (errno == EINTR) continue;
            fail("cannot write (disk full or no permission?)", errno);
        }
        p += n;
        bytes -= static_cast<size_t>(n);
    }
}

void AtomicFileWriter::commit() {
    if (fd_ < 0) throw CheckpointError(path_ + ": commit called twice");
    if (::fsync(fd_) != 0) fail("cannot flush to disk", errno);
    const int fd = fd_;
    fd_ = -1;
    if (::close(fd) != 0) fail("cannot close the temp file", errno);
    if (::rename(tmp_path_.c_str(), path_.c_str()) != 0) fail("cannot replace the file", errno);
    committed_ = true;
    sync_directory(parent_dir(path_));
}

void write_file_atomic(const std::string& path, std::string_view contents) {
    AtomicFileWriter out(path);
    out.write(contents);
    out.commit();
}

void sync_directory(const std::string& dir) {
    const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        throw CheckpointError(dir + ": cannot open directory to sync (" + std::strerror(errno) +
                              ")");
    const int rc = ::fsync(fd);
    const int err = errno;
    ::close(fd);
    if (rc != 0)
        throw CheckpointError(dir + ": cannot sync directory (" + std::strerror(err) + ")");
}

}  // namespace tinyseek
