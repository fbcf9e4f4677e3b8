// TensorBoard event files (events.out.tfevents.*), as torch.utils.tensorboard, TensorFlow,
// tensorboardX and so verl, TRL and OpenRLHF write them: TFRecord framing around Event
// messages (tensorboard/compat/proto/event.proto, summary.proto, tensor.proto).
//
// Record: uint64 length (little-endian), uint32 masked CRC-32C of those 8 bytes, the Event,
// uint32 masked CRC-32C of the Event. A record whose data CRC fails is skipped and reported; a
// length whose CRC fails leaves nothing to find the next record by, so the rest of the file
// is reported and skipped, as TensorBoard's own reader stops there.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "imports/imported_run.h"

namespace tinyseek::imports {

class EventFileParser {
  public:
    // `file` names the file in issues. `time_origin` (shared by the files of one run, NaN
    // until the first event) turns event wall times into seconds since the run's first event.
    EventFileParser(std::string file, double* time_origin);

    // Reads the complete records at the front of `bytes` into `log` and returns how many bytes
    // they took; a record cut short at the end (a writer still writing) is left for the next
    // call.
    std::size_t parse(std::string_view bytes, ImportedLog& log);
    // True after a length checksum failed: nothing more of this file can be read.
    bool stopped() const { return stopped_; }

  private:
    void read_event(std::string_view event, ImportedLog& log);
    void read_summary(std::string_view summary, std::int64_t step, ImportedLog& log);

    std::string file_;
    double* time_origin_;
    std::int64_t record_ = 0;
    bool stopped_ = false;
    StepOrder order_;
};

}  // namespace tinyseek::imports
