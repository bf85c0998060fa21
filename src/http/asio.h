#pragma once
// The Boost.Asio and Boost.Beast pieces the server uses. Only http/*.cpp include this file:
// nothing outside http/ sees Boost.

// Boost 1.74's awaitable.hpp uses std::exchange without including <utility>.
#include <utility>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

namespace nearhub::http {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using error_code = boost::system::error_code;

// `co_await op(..., redirect(ec))`: errors land in `ec` instead of being thrown.
inline auto redirect(error_code& ec) { return asio::redirect_error(asio::use_awaitable, ec); }

}  // namespace nearhub::http
