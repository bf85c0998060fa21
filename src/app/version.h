#pragma once

#include <string_view>

namespace nearhub::app {

// The project version from CMakeLists.txt, fixed at build time (spec §4.9 [REC]).
inline constexpr std::string_view kVersion = NEARHUB_VERSION;

}  // namespace nearhub::app
