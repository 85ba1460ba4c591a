// JetStream through the NATS C client (Debian's libnats): the stream, publishing, the workers'
// pull consumer and the backlog.
#include <fmt/format.h>
#include <nats/nats.h>

#include <atomic>

#include "khabar/queue.h"

namespace khabar {
namespace {

// JetStream's error for a stream created by someone else meanwhile.
constexpr jsErrCode kStreamNameInUse = static_cast<jsErrCode>(10058);

std::string nats_message(natsStatus status) {
  natsStatus last = NATS_OK;
  const char* text = nats_GetLastError(&last);
  if (text != nullptr && *text != '\0') return text;
  return natsStatus_GetText(status);
}

Error queue_error(std::string_view doing, natsStatus status, jsErrCode js_error = jsErrCode(0)) {
  std::string message = fmt::format("NATS error while {}: {}", doing, nats_message(status));
  if (js_error != 0) message += fmt::format(" (JetStream error {})", static_cast<int>(js_error));
  return make_error(ErrorCode::kIo, message);
}

}  // namespace

struct JetStream::Impl {
  QueueOptions options;
  natsConnection* connection = nullptr;
  jsCtx* context = nullptr;
  natsSubscription* subscription = nullptr;
  std::atomic<uint64_t> refused{0};  // asynchronous publishes the server refused

  ~Impl() {
    natsSubscription_Destroy(subscription);
    jsCtx_Destroy(context);
    natsConnection_Destroy(connection);
  }

  static void on_publish_error(jsCtx* /*context*/, jsPubAckErr* /*error*/, void* closure) {
    ++static_cast<Impl*>(closure)->refused;
  }
};

struct QueueMessage::Handle {
  natsMsg* message;
};

JetStream::JetStream(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
JetStream::~JetStream() = default;
JetStream::JetStream(JetStream&&) noexcept = default;
JetStream& JetStream::operator=(JetStream&&) noexcept = default;

Result<JetStream> JetStream::connect(const QueueOptions& options) {
  auto impl = std::make_unique<Impl>();
  impl->options = options;
  natsOptions* settings = nullptr;
  natsStatus s = natsOptions_Create(&settings);
  if (s == NATS_OK) s = natsOptions_SetURL(settings, options.url.c_str());
  if (s == NATS_OK) s = natsOptions_SetName(settings, "khabar");
  if (s == NATS_OK) s = natsConnection_Connect(&impl->connection, settings);
  natsOptions_Destroy(settings);
  if (s != NATS_OK) return queue_error(fmt::format("connecting to {}", options.url), s);

  jsOptions js_options;
  jsOptions_Init(&js_options);
  js_options.PublishAsync.MaxPending = 4096;  // publishing waits when this many are unanswered
  js_options.PublishAsync.ErrHandler = Impl::on_publish_error;
  js_options.PublishAsync.ErrHandlerClosure = impl.get();
  s = natsConnection_JetStream(&impl->context, impl->connection, &js_options);
  if (s != NATS_OK) return queue_error("opening JetStream", s);
  return JetStream(std::move(impl));
}

Status JetStream::ensure_stream() {
  const QueueOptions& o = impl_->options;
  jsStreamInfo* info = nullptr;
  jsErrCode js_error = jsErrCode(0);
  natsStatus s = js_GetStreamInfo(&info, impl_->context, o.stream.c_str(), nullptr, &js_error);
  jsStreamInfo_Destroy(info);
  if (s == NATS_OK) return {};
  if (s != NATS_NOT_FOUND) {
    return queue_error(fmt::format("looking up stream {}", o.stream), s, js_error);
  }
  jsStreamConfig config;
  jsStreamConfig_Init(&config);
  const char* subjects[] = {o.subject.c_str()};
  config.Name = o.stream.c_str();
  config.Subjects = subjects;
  config.SubjectsLen = 1;
  config.Storage = js_FileStorage;
  config.Retention = js_WorkQueuePolicy;
  info = nullptr;
  s = js_AddStream(&info, impl_->context, &config, nullptr, &js_error);
  jsStreamInfo_Destroy(info);
  if (s == NATS_OK || js_error == kStreamNameInUse) return {};
  return queue_error(fmt::format("creating stream {}", o.stream), s, js_error);
}

Status JetStream::publish(std::string_view message, std::string_view id) {
  jsPubOptions options;
  jsPubOptions_Init(&options);
  const std::string message_id(id);
  options.MsgId = message_id.c_str();
  const natsStatus s = js_PublishAsync(impl_->context, impl_->options.subject.c_str(),
                                       message.data(), static_cast<int>(message.size()), &options);
  if (s != NATS_OK) return queue_error("publishing", s);
  return {};
}

Result<uint64_t> JetStream::finish_publishing(int64_t timeout_ms) {
  jsPubOptions options;
  jsPubOptions_Init(&options);
  options.MaxWait = timeout_ms;
  const natsStatus s = js_PublishAsyncComplete(impl_->context, &options);
  uint64_t unanswered = 0;
  if (s == NATS_TIMEOUT) {
    natsMsgList pending{nullptr, 0};
    if (js_PublishAsyncGetPendingList(&pending, impl_->context) == NATS_OK) {
      unanswered = static_cast<uint64_t>(pending.Count);
      natsMsgList_Destroy(&pending);
    }
  } else if (s != NATS_OK) {
    return queue_error("waiting for the server to store what was published", s);
  }
  return impl_->refused.load() + unanswered;
}

Status JetStream::subscribe(int64_t ack_wait_ms, int64_t max_ack_pending) {
  const QueueOptions& o = impl_->options;
  jsSubOptions options;
  jsSubOptions_Init(&options);
  options.Stream = o.stream.c_str();
  options.Config.AckPolicy = js_AckExplicit;
  options.Config.AckWait = ack_wait_ms * 1'000'000;  // nanoseconds
  options.Config.MaxAckPending = max_ack_pending;
  options.Config.MaxDeliver = -1;  // a message a worker could not store is retried, never lost
  jsErrCode js_error = jsErrCode(0);
  const natsStatus s = js_PullSubscribe(&impl_->subscription, impl_->context, o.subject.c_str(),
                                        o.consumer.c_str(), nullptr, &options, &js_error);
  if (s != NATS_OK) {
    return queue_error(fmt::format("joining consumer {} of stream {}", o.consumer, o.stream), s,
                       js_error);
  }
  return {};
}

Result<std::vector<QueueMessage>> JetStream::fetch(int count, int64_t timeout_ms) {
  std::vector<QueueMessage> out;
  natsMsgList list{nullptr, 0};
  jsErrCode js_error = jsErrCode(0);
  const natsStatus s =
      natsSubscription_Fetch(&list, impl_->subscription, count, timeout_ms, &js_error);
  if (s == NATS_TIMEOUT) return out;
  if (s != NATS_OK) return queue_error("fetching messages", s, js_error);
  for (int i = 0; i < list.Count; ++i) {
    out.push_back(QueueMessage(new QueueMessage::Handle{list.Msgs[i]}));
    list.Msgs[i] = nullptr;  // owned by the QueueMessage now
  }
  natsMsgList_Destroy(&list);
  return out;
}

Result<JetStream::Backlog> JetStream::backlog() {
  const QueueOptions& o = impl_->options;
  Backlog out;
  jsStreamInfo* stream = nullptr;
  jsErrCode js_error = jsErrCode(0);
  natsStatus s = js_GetStreamInfo(&stream, impl_->context, o.stream.c_str(), nullptr, &js_error);
  if (s == NATS_NOT_FOUND) return out;  // nothing published yet
  if (s != NATS_OK) return queue_error(fmt::format("reading stream {}", o.stream), s, js_error);
  out.stream_messages = stream->State.Msgs;
  out.stream_bytes = stream->State.Bytes;
  out.first_sequence = stream->State.FirstSeq;
  jsStreamInfo_Destroy(stream);
  jsConsumerInfo* consumer = nullptr;
  s = js_GetConsumerInfo(&consumer, impl_->context, o.stream.c_str(), o.consumer.c_str(), nullptr,
                         &js_error);
  if (s == NATS_NOT_FOUND) {  // no worker has joined: everything in the stream waits
    out.pending = out.stream_messages;
    return out;
  }
  if (s != NATS_OK) return queue_error(fmt::format("reading consumer {}", o.consumer), s, js_error);
  out.consumer_exists = true;
  out.pending = consumer->NumPending;
  out.ack_pending = consumer->NumAckPending;
  out.redelivered = consumer->NumRedelivered;
  jsConsumerInfo_Destroy(consumer);
  return out;
}

QueueMessage::~QueueMessage() {
  if (handle_ != nullptr) natsMsg_Destroy(handle_->message);
  delete handle_;
}
QueueMessage::QueueMessage(QueueMessage&& other) noexcept : handle_(other.handle_) {
  other.handle_ = nullptr;
}
QueueMessage& QueueMessage::operator=(QueueMessage&& other) noexcept {
  std::swap(handle_, other.handle_);
  return *this;
}

std::string_view QueueMessage::data() const {
  return {natsMsg_GetData(handle_->message),
          static_cast<size_t>(natsMsg_GetDataLength(handle_->message))};
}

uint64_t QueueMessage::stream_sequence() const {
  jsMsgMetaData* meta = nullptr;
  if (natsMsg_GetMetaData(&meta, handle_->message) != NATS_OK) return 0;
  const uint64_t n = meta->Sequence.Stream;
  jsMsgMetaData_Destroy(meta);
  return n;
}

// Acknowledgements are sent without waiting: one lost is a redelivery, which finds the article
// stored.
void QueueMessage::ack() {
  (void)natsMsg_Ack(handle_->message, nullptr);
}
void QueueMessage::nak() {
  (void)natsMsg_Nak(handle_->message, nullptr);
}
void QueueMessage::term() {
  (void)natsMsg_Term(handle_->message, nullptr);
}
void QueueMessage::in_progress() {
  (void)natsMsg_InProgress(handle_->message, nullptr);
}

}  // namespace khabar
