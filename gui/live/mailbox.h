// Mailbox<T>: how the live path hands values from one thread to another (docs/ARCHITECTURE.md
// "Threading rules"). The producing thread post()s a value; the consuming thread takes the
// values out, oldest first. A queued signal without arguments, connected once on the
// consumer's thread, rings the bell: post() rings it only when the mailbox was empty, so one
// signal wakes the consumer for everything posted until it has emptied the mailbox.
//
// Why not a queued signal that carries the value: Qt copies such a signal's arguments on the
// sending thread and hands the copy to the receiving thread under a mutex inside libQt6Core,
// which is not built with ThreadSanitizer, so TSan cannot see that the copy happened before
// the receiver read it and reports every such value as a race. Here the handoff is a
// std::mutex (a pthread mutex, which TSan sees), so the TSan build checks the handoff itself
// and every access to the values on both sides.
#pragma once

#include <cstddef>
#include <deque>
#include <mutex>
#include <optional>
#include <utility>

namespace tinyseek::gui {

template <class T>
class Mailbox {
  public:
    // Adds `value` last; when the mailbox was empty, calls `ringBell` (which emits the
    // consumer's queued wake-up signal). Values posted before the consumer emptied the
    // mailbox ride along with the first. The bell rings under the lock, so the consumer cannot
    // take the value before the producer is done with the ringing object: a consumer that
    // learns from the value that the producer is finished may destroy that object at once.
    template <class RingBell>
    void post(T value, RingBell&& ringBell) {
        const std::lock_guard<std::mutex> lock(m_mutex);
        m_items.push_back(std::move(value));
        if (m_items.size() == 1) ringBell();
    }

    // Every value posted so far, oldest first, leaving the mailbox empty; O(1) under the lock.
    std::deque<T> takeAll() {
        std::deque<T> items;
        const std::lock_guard<std::mutex> lock(m_mutex);
        items.swap(m_items);
        return items;
    }

    // The oldest value, or nothing when the mailbox is empty. A consumer that takes one value
    // at a time may run an event loop in between without reordering what it delivers.
    std::optional<T> takeFirst() {
        const std::lock_guard<std::mutex> lock(m_mutex);
        if (m_items.empty()) return std::nullopt;
        std::optional<T> first(std::move(m_items.front()));
        m_items.pop_front();
        return first;
    }

    std::size_t size() const {
        const std::lock_guard<std::mutex> lock(m_mutex);
        return m_items.size();
    }

  private:
    mutable std::mutex m_mutex;
    std::deque<T> m_items;  // guarded by m_mutex
};

}  // namespace tinyseek::gui
