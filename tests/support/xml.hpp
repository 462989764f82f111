// A strict XML reader for the tests of the SVG plots: one root element, balanced and matching
// tags, quoted attributes without duplicates, & only in the five named references or a
// character reference, no < in text or attributes, UTF-8 without control characters. An XML
// declaration and comments are allowed; a DOCTYPE, CDATA and processing instructions are not
// (the plots have none). Any violation throws std::runtime_error naming the byte offset.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "util/text.hpp"

namespace grucast::test {

struct XmlElement {
  std::string name;
  std::vector<std::pair<std::string, std::string>> attributes;  ///< values with references decoded
  std::vector<XmlElement> children;
  std::string text;  ///< the element's own character data, decoded (not its children's)

  bool has(const std::string& attribute) const { return find(attribute) != nullptr; }
  /// The attribute's value, "" when absent.
  std::string operator[](const std::string& attribute) const {
    const std::string* value = find(attribute);
    return value == nullptr ? "" : *value;
  }
  /// Every element of the subtree (this one included) for which `keep` is true, in document order.
  std::vector<const XmlElement*> all(const std::function<bool(const XmlElement&)>& keep) const {
    std::vector<const XmlElement*> found;
    visit(keep, found);
    return found;
  }
  /// Elements named `name` whose class attribute (space-separated) contains `css_class` ("" : any).
  std::vector<const XmlElement*> all(const std::string& element, const std::string& css_class = "") const {
    return all([&](const XmlElement& e) { return e.name == element && (css_class.empty() || e.has_class(css_class)); });
  }
  bool has_class(const std::string& css_class) const {
    const std::string classes = " " + (*this)["class"] + " ";
    return classes.find(" " + css_class + " ") != std::string::npos;
  }
  /// The text of the element and its descendants.
  std::string all_text() const {
    std::string out = text;
    for (const XmlElement& child : children) out += child.all_text();
    return out;
  }

 private:
  const std::string* find(const std::string& attribute) const {
    for (const auto& [name, value] : attributes) {
      if (name == attribute) return &value;
    }
    return nullptr;
  }
  void visit(const std::function<bool(const XmlElement&)>& keep, std::vector<const XmlElement*>& found) const {
    if (keep(*this)) found.push_back(this);
    for (const XmlElement& child : children) child.visit(keep, found);
  }
};

class XmlReader {
 public:
  explicit XmlReader(const std::string& text) : in_(text) {}

  XmlElement document() {
    check_characters();
    if (in_.compare(0, 5, "<?xml") == 0) skip_past("?>");
    skip_misc();
    if (at_end() || in_[at_] != '<') fail("expected the root element");
    XmlElement root = element();
    skip_misc();
    if (!at_end()) fail("content after the root element");
    return root;
  }

 private:
  [[noreturn]] void fail(const std::string& what) const {
    throw std::runtime_error("XML: " + what + " at byte " + std::to_string(at_));
  }
  bool at_end() const { return at_ >= in_.size(); }
  static bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
  static bool is_name_char(char c, bool first) {
    const bool letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':';
    return letter || (!first && ((c >= '0' && c <= '9') || c == '-' || c == '.'));
  }

  void check_characters() {
    for (at_ = 0; at_ < in_.size();) {
      const auto c = static_cast<unsigned char>(in_[at_]);
      if (c < 0x20 && !is_space(static_cast<char>(c))) fail("a control character");
      const std::size_t length = grucast::utf8_sequence_length(in_, at_);
      if (length == 0) fail("a byte that is not UTF-8");
      if (in_.compare(at_, 3, "\xef\xbf\xbe") == 0 || in_.compare(at_, 3, "\xef\xbf\xbf") == 0) fail("U+FFFE/FFFF");
      at_ += length;
    }
    at_ = 0;
  }
  void skip_spaces() {
    while (!at_end() && is_space(in_[at_])) ++at_;
  }
  void skip_past(const std::string& end) {
    const std::size_t found = in_.find(end, at_);
    if (found == std::string::npos) fail("missing " + end);
    at_ = found + end.size();
  }
  void skip_misc() {  // spaces and comments
    for (skip_spaces(); in_.compare(at_, 4, "<!--") == 0; skip_spaces()) skip_past("-->");
  }
  std::string name() {
    const std::size_t start = at_;
    if (at_end() || !is_name_char(in_[at_], true)) fail("expected a name");
    while (!at_end() && is_name_char(in_[at_], false)) ++at_;
    return in_.substr(start, at_ - start);
  }
  // A reference after '&': the five named ones or &#N; / &#xH;.
  std::string reference() {
    const std::size_t end = in_.find(';', at_);
    if (end == std::string::npos || end - at_ > 10) fail("an unescaped &");
    const std::string ref = in_.substr(at_, end - at_);
    at_ = end + 1;
    if (ref == "amp") return "&";
    if (ref == "lt") return "<";
    if (ref == "gt") return ">";
    if (ref == "quot") return "\"";
    if (ref == "apos") return "'";
    if (ref.size() < 2 || ref[0] != '#') fail("an unknown reference &" + ref + ";");
    const bool hex = ref[1] == 'x';
    const std::uint32_t code = static_cast<std::uint32_t>(std::stoul(ref.substr(hex ? 2 : 1), nullptr, hex ? 16 : 10));
    if (code > 0x7f) return "?";  // not used by the plots; any non-ASCII stands in
    if (code < 0x20 && code != 9 && code != 10 && code != 13) fail("a reference to a control character");
    return std::string(1, static_cast<char>(code));
  }
  std::string attribute_value() {
    if (at_end() || (in_[at_] != '"' && in_[at_] != '\'')) fail("an attribute value without quotes");
    const char quote = in_[at_++];
    std::string value;
    while (!at_end() && in_[at_] != quote) {
      if (in_[at_] == '<') fail("< in an attribute value");
      if (in_[at_++] == '&') {
        value += reference();
      } else {
        value += in_[at_ - 1];
      }
    }
    if (at_end()) fail("an unterminated attribute value");
    ++at_;
    return value;
  }
  void attributes(XmlElement& e) {
    for (;;) {
      const std::size_t before = at_;
      skip_spaces();
      if (at_end()) fail("an unterminated tag");
      if (in_[at_] == '>' || in_[at_] == '/') return;
      if (at_ == before) fail("no space before an attribute");
      const std::string key = name();
      if (e.has(key)) fail("a duplicate attribute " + key);
      skip_spaces();
      if (at_end() || in_[at_++] != '=') fail("an attribute without =");
      skip_spaces();
      e.attributes.emplace_back(key, attribute_value());
    }
  }
  XmlElement element() {
    ++at_;  // '<'
    XmlElement e;
    e.name = name();
    attributes(e);
    if (in_.compare(at_, 2, "/>") == 0) {
      at_ += 2;
      return e;
    }
    ++at_;  // '>'
    content(e);
    return e;
  }
  void content(XmlElement& e) {
    for (;;) {
      if (at_end()) fail("<" + e.name + "> is not closed");
      const char c = in_[at_];
      if (in_.compare(at_, 4, "<!--") == 0) {
        skip_past("-->");
      } else if (in_.compare(at_, 2, "</") == 0) {
        at_ += 2;
        if (name() != e.name) fail("a closing tag that does not match <" + e.name + ">");
        skip_spaces();
        if (at_end() || in_[at_++] != '>') fail("an unterminated closing tag");
        return;
      } else if (c == '<') {
        if (in_.compare(at_, 2, "<!") == 0 || in_.compare(at_, 2, "<?") == 0) fail("a DOCTYPE, CDATA or PI");
        e.children.push_back(element());
      } else if (c == '&') {
        ++at_;
        e.text += reference();
      } else {
        if (c == '>' && in_.compare(at_ - 2, 3, "]]>") == 0) fail("]]> in text");
        e.text += c;
        ++at_;
      }
    }
  }

  const std::string& in_;
  std::size_t at_ = 0;
};

/// The document's root element; std::runtime_error when `text` is not well-formed.
inline XmlElement parse_xml(const std::string& text) { return XmlReader(text).document(); }

}  // namespace grucast::test
