// A web site on loopback for the fetch tests: handlers by path, and a count of the requests
// each path received (never the internet).
#pragma once

#include <httplib.h>

#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace khabar::fetch_testing {

class TestSite {
 public:
  TestSite() {
    // Counted before the handler answers: a logger runs after the response is sent, so a
    // client could finish and look at the count before the server had made it.
    server_.set_pre_routing_handler([this](const httplib::Request& req, httplib::Response&) {
      std::lock_guard guard(mutex_);
      ++requests_[req.path];
      return httplib::Server::HandlerResponse::Unhandled;
    });
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    while (!server_.is_running())
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  ~TestSite() {
    server_.stop();
    thread_.join();
  }
  TestSite(const TestSite&) = delete;
  TestSite& operator=(const TestSite&) = delete;

  httplib::Server& server() { return server_; }
  std::string url(const std::string& path) const {
    return "http://127.0.0.1:" + std::to_string(port_) + path;
  }
  int requests(const std::string& path) const {
    std::lock_guard guard(mutex_);
    const auto it = requests_.find(path);
    return it == requests_.end() ? 0 : it->second;
  }
  std::map<std::string, int> all_requests() const {
    std::lock_guard guard(mutex_);
    return requests_;
  }

 private:
  httplib::Server server_;
  int port_ = 0;
  std::thread thread_;
  mutable std::mutex mutex_;
  std::map<std::string, int> requests_;
};

// An Arabic news page of some length, different for each `n`.
inline std::string article_page(int n, const std::string& title) {
  static const char* const kWords[] = {
      "الحكومة", "الوزير",   "المدينة", "الاجتماع", "المواطنين", "المشروع", "الطريق",  "المستشفى",
      "المدرسة", "الجامعة",  "الميناء", "المطار",   "السوق",     "المجلس",  "البلدية", "الشرطة",
      "الأمطار", "الكهرباء", "المياه",  "الزراعة",  "الصناعة",   "التجارة", "السياحة", "الرياضة",
      "الثقافة", "الصحة",    "التعليم", "النقل",    "الإسكان",   "البيئة",  "الطاقة",  "الاتصالات"};
  std::string body;
  unsigned state = static_cast<unsigned>(n) * 2654435761u + 12345u;
  for (int p = 0; p < 4; ++p) {
    body += "<p>";
    body += "أعلن المسؤول في تصريح رقم " + std::to_string(n * 10 + p) + " أن ";
    for (int w = 0; w < 40; ++w) {
      state = state * 1103515245u + 12345u;
      body += kWords[(state >> 16) % 32];
      body += ' ';
    }
    body += "وذلك في إطار الخطة " + std::to_string(n) + ".</p>\n";
  }
  return "<!DOCTYPE html><html lang=\"ar\"><head><meta charset=\"utf-8\"><title>" + title +
         "</title></head><body><nav><a href=\"/\">الرئيسية</a></nav><article><h1>" + title +
         "</h1>" + body + "</article><footer>جميع الحقوق محفوظة</footer></body></html>";
}

// An RSS 2.0 feed of (link, title, description) items.
struct FeedItem {
  std::string link;
  std::string title;
  std::string description;  // empty: the item has none
};
inline std::string rss_feed(const std::string& channel, const std::vector<FeedItem>& items) {
  std::string xml =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<rss version=\"2.0\"><channel><title>" +
      channel + "</title>\n";
  for (const FeedItem& item : items) {
    xml += "<item><title>" + item.title + "</title><link>" + item.link +
           "</link><pubDate>Mon, 03 Aug 2015 10:00:00 +0300</pubDate>";
    if (!item.description.empty())
      xml += "<description><![CDATA[" + item.description + "]]></description>";
    xml += "</item>\n";
  }
  return xml + "</channel></rss>\n";
}

}  // namespace khabar::fetch_testing
