// Given, do not modify: one page's transfer and its title, shared by the baselines and student
// files of exercises 2.3 (random_titles) and 2.4 (async_titles), so that those are only about
// concurrency.
//
// Header-only on purpose: each exercise's build compiles just its own baseline and student file,
// and 2.4 finds this file through 2.3's folder on its include path (one copy for both).
//
//   html_title(html)            the first <title>'s text, parsed by libxml2's HTML parser
//   utf8_length(text)           Unicode code points in UTF-8 text
//   make_session()              an easy handle with the transfer rules of random_titles.hpp
//   fetch_title(handle, url)    one blocking transfer: start_transfer, curl_easy_perform,
//                               finish_transfer
//   start_transfer(handle, t)   the same transfer in two halves, for a handle that runs inside
//   finish_transfer(handle, code, t)   a libcurl multi handle (2.4)
//   make_report(pages)          the TitlesReport of a finished list: the total of characters
#pragma once

#include <curl/curl.h>
#include <libxml/HTMLparser.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlmemory.h>

#include <algorithm>
#include <cstddef>
#include <limits>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "curl_session.hpp"
#include "random_titles.hpp"

namespace parlab::titles {

// ---- Titles: libxml2's HTML parser ----------------------------------------------------------

namespace detail {

// libxml2 sets up global tables (character encodings, its dictionaries' seed, the key of its
// per-thread state) in xmlInitParser, which is not safe to run from two threads at once; its
// documentation asks threaded programs to call it once before parsing anywhere. Every parse below
// comes here first: std::call_once runs it exactly once, and any thread that arrives meanwhile
// waits until it has finished (the call happens-before their return). From then on, any number
// of threads may parse at the same time, each into a document of its own.
inline void init_libxml_once() {
  static std::once_flag initialized;
  std::call_once(initialized, [] { xmlInitParser(); });
}

struct DocFree {
  void operator()(xmlDoc* doc) const noexcept { xmlFreeDoc(doc); }
};
using Document = std::unique_ptr<xmlDoc, DocFree>;

struct XmlFree {
  void operator()(xmlChar* text) const noexcept { xmlFree(text); }
};
using XmlText = std::unique_ptr<xmlChar, XmlFree>;

// Errors and warnings off: real pages are full of small mistakes the parser repairs silently.
// No network: the parser must never fetch a DTD or anything else a page names.
inline constexpr int kHtmlParseOptions = HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING | HTML_PARSE_NONET;

// The first element named `name` at or after `node`, in document order (depth first). The HTML
// parser lower-cases element names, so <TITLE> is found as "title"; a <title> inside a comment is
// part of the comment's text, not an element, and is never found.
inline const xmlNode* first_element_named(const xmlNode* node, std::string_view name) {
  for (; node != nullptr; node = node->next) {
    if (node->type != XML_ELEMENT_NODE) continue;
    if (name == reinterpret_cast<const char*>(node->name)) return node;
    if (const xmlNode* found = first_element_named(node->children, name)) return found;
  }
  return nullptr;
}

// HTML's whitespace (space, tab, line feed, form feed, carriage return) cut from both ends. A
// no-break space (&nbsp;) is text, not whitespace, and stays.
inline std::string trim_html_space(std::string_view text) {
  constexpr std::string_view kSpace = " \t\n\f\r";
  const std::size_t first = text.find_first_not_of(kSpace);
  if (first == std::string_view::npos) return {};
  const std::size_t last = text.find_last_not_of(kSpace);
  return std::string(text.substr(first, last - first + 1));
}

}  // namespace detail

// The title of an HTML document: the text of its first <title> element, character references
// (&amp;, &eacute;, &#169;, &#x2603;) decoded, in UTF-8, outer whitespace trimmed. "" for an empty
// <title></title>; nullopt when there is no <title> element (or nothing to parse). The bytes are
// read as UTF-8, at most the first 2 GiB of them (libxml2 takes an int size). Never throws but
// std::bad_alloc. Thread-safe: each call parses into a document of its own (libxml2 is
// initialized once, above).
inline std::optional<std::string> html_title(std::string_view html) {
  detail::init_libxml_once();
  const auto size = static_cast<int>(std::min<std::size_t>(html.size(), std::numeric_limits<int>::max()));
  const detail::Document doc(htmlReadMemory(html.data(), size, nullptr, "UTF-8", detail::kHtmlParseOptions));
  if (!doc) return std::nullopt;
  const xmlNode* title = detail::first_element_named(doc->children, "title");
  if (title == nullptr) return std::nullopt;
  const detail::XmlText text(xmlNodeGetContent(title));  // all the text inside, entities decoded
  if (!text) return std::string();
  return detail::trim_html_space(reinterpret_cast<const char*>(text.get()));
}

// How many Unicode code points the UTF-8 text holds: every code point has exactly one byte that
// is not a continuation byte (10xxxxxx). "Café" is 5 bytes and 4 code points. Thread-safe.
inline std::size_t utf8_length(std::string_view text) {
  return static_cast<std::size_t>(
      std::count_if(text.begin(), text.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

// ---- Transfers: libcurl ---------------------------------------------------------------------

// An owned libcurl easy handle: a "session" that keeps its connection open between transfers.
// One handle serves one transfer at a time: never use one from two threads at once.
using EasyHandle = curl::EasyHandle;

inline constexpr long kTransferTimeoutSeconds = 30;
inline constexpr long kMaxRedirects = 5;

// A new handle with the transfer rules of random_titles.hpp set on it: no signals and 10 s to
// connect (curl::new_easy_handle), 30 s for a whole transfer, redirects followed up to 5, and the
// body appended to the std::string given as CURLOPT_WRITEDATA. Throws std::runtime_error when
// libcurl cannot create one. Thread-safe once curl_global_init() has run: each call makes an
// independent handle.
inline EasyHandle make_session() {
  EasyHandle handle = curl::new_easy_handle();
  curl_easy_setopt(handle.get(), CURLOPT_TIMEOUT, kTransferTimeoutSeconds);
  // A random-page link is a redirect: follow it, but not forever.
  curl_easy_setopt(handle.get(), CURLOPT_FOLLOWLOCATION, 1L);
  curl_easy_setopt(handle.get(), CURLOPT_MAXREDIRS, kMaxRedirects);
  curl_easy_setopt(handle.get(), CURLOPT_WRITEFUNCTION, curl::append_to_string);
  return handle;
}

// What one transfer needs beyond its handle: the URL as listed, and the body as it arrives. The
// handle points into it from start_transfer to finish_transfer: keep it at one address until then.
struct Transfer {
  std::string url;
  std::string body;
};

// Points `handle` (from make_session) at transfer.url, with the body going to transfer.body
// (emptied first). The handle is then ready to run: curl_easy_perform(handle), or
// curl_multi_add_handle(multi, handle). Not thread-safe for one handle or one transfer.
inline void start_transfer(CURL* handle, Transfer& transfer) {
  transfer.body.clear();
  curl_easy_setopt(handle, CURLOPT_URL, transfer.url.c_str());  // libcurl copies the string
  curl_easy_setopt(handle, CURLOPT_WRITEDATA, &transfer.body);
}

// The result of the transfer `handle` ran for `transfer`, once it has ended with `code`
// (curl_easy_perform's return value, or a finished multi transfer's msg->data.result). Parses the
// title when the transfer completed. Leaves the handle pointing at no body, ready for
// start_transfer again. Never throws but std::bad_alloc. Not thread-safe for one handle.
inline PageTitle finish_transfer(CURL* handle, CURLcode code, const Transfer& transfer) {
  curl_easy_setopt(handle, CURLOPT_WRITEDATA, static_cast<void*>(nullptr));
  PageTitle page;
  page.url = transfer.url;
  curl_easy_getinfo(handle, CURLINFO_RESPONSE_CODE, &page.status);  // 0: no response
  if (code == CURLE_OK) {
    page.title = html_title(transfer.body);
  } else {
    page.error = curl_easy_strerror(code);  // a fixed sentence per code, unlike CURLOPT_ERRORBUFFER
  }
  return page;
}

// Fetches `url` over `session` (from make_session) and reads the landing page's title. Blocks
// until the transfer ends. Never throws for a network or HTTP error or a redirect loop (all in the
// result); only std::bad_alloc can escape. Not thread-safe for one handle; calls on different
// handles may run in parallel.
inline PageTitle fetch_title(CURL* session, const std::string& url) {
  Transfer transfer{url, {}};
  start_transfer(session, transfer);
  const CURLcode code = curl_easy_perform(session);
  return finish_transfer(session, code, transfer);
}

// The report of a finished list: its results as given (keep them in input order) and the code
// points of all their titles. Thread-safe.
inline TitlesReport make_report(std::vector<PageTitle> pages) {
  TitlesReport report{std::move(pages), 0};
  for (const PageTitle& page : report.pages) {
    if (page.title) report.total_chars += utf8_length(*page.title);
  }
  return report;
}

}  // namespace parlab::titles
