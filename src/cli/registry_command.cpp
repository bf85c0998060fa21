#include "cli/registry_command.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <memory>
#include <vector>

namespace nearhub::cli {
namespace {

namespace fs = std::filesystem;
using Json = nlohmann::json;

struct UploadOptions {
  HubOptions hub;
  std::string directory;
};

struct DownloadOptions {
  HubOptions hub;
  std::string location;
  std::string directory;
  bool force = false;
};

struct ListOptions {
  HubOptions hub;
  std::string namespace_filter;
  std::string category;
  std::string tags;
  int total = 32;
  int offset = 0;
  bool show_hidden = false;
  bool all_versions = false;
  std::string starred_by;
  bool json = false;
};

Json read_json_file(const fs::path& path) {
  std::ifstream file(path);
  if (!file) throw CommandError("cannot read " + path.string());
  Json parsed = Json::parse(file, nullptr, /*allow_exceptions=*/false);
  if (parsed.is_discarded() || !parsed.is_object()) {
    throw CommandError(path.string() + " is not a JSON object");
  }
  return parsed;
}

std::string required_string(const Json& metadata, const char* key, const fs::path& file) {
  const auto found = metadata.find(key);
  if (found == metadata.end() || !found->is_string() || found->get<std::string>().empty()) {
    throw CommandError(file.string() + ": \"" + key + "\" must be a non-empty string");
  }
  return found->get<std::string>();
}

// The upload_metadata input from a metadata.json, with the nearai CLI's refusals: files kept
// elsewhere (_source) and an obfuscated encryption key cannot be published from here.
Json metadata_input(const Json& metadata, const fs::path& file) {
  Json input = {{"category", required_string(metadata, "category", file)},
                {"description", metadata.value("description", "")},
                {"tags", metadata.value("tags", Json::array())},
                {"details", metadata.value("details", Json::object())},
                {"show_entry", metadata.value("show_entry", true)}};
  const Json& details = input["details"];
  if (details.is_object() && details.contains("_source")) {
    throw CommandError(file.string() + ": details._source is set; only files uploaded here can " +
                       "be published");
  }
  if (details.is_object() && details.value("encryption_key", Json()) == "<secret>") {
    throw CommandError(file.string() + ": details.encryption_key is obfuscated (\"<secret>\")");
  }
  return input;
}

// A path component the upload leaves out: hidden files and folders (.git, .env...) and Python
// caches never belong in a published entry.
bool skipped_component(const fs::path& component) {
  const std::string name = component.string();
  return (!name.empty() && name.front() == '.') || name == "__pycache__";
}

// Every file to publish, as paths relative to `root` in a stable order.
std::vector<fs::path> files_to_upload(const fs::path& root) {
  std::vector<fs::path> files;
  for (auto it = fs::recursive_directory_iterator(root); it != fs::recursive_directory_iterator();
       ++it) {
    const fs::path relative = it->path().lexically_relative(root);
    if (skipped_component(relative.filename())) {
      if (it->is_directory()) it.disable_recursion_pending();
      continue;
    }
    if (!it->is_regular_file()) continue;
    if (relative == "metadata.json") continue;  // published as metadata, not as a file
    files.push_back(relative);
  }
  std::sort(files.begin(), files.end());
  return files;
}

Json entry_location(const std::string& namespace_name, const std::string& name,
                    const std::string& version) {
  return {{"namespace", namespace_name}, {"name", name}, {"version", version}};
}

void run_upload(const UploadOptions& options, std::ostream& out,
                const EnvironmentLookup& environment) {
  const fs::path root(options.directory);
  const fs::path metadata_file = root / "metadata.json";
  const Json metadata = read_json_file(metadata_file);
  const std::string name = required_string(metadata, "name", metadata_file);
  const std::string version = required_string(metadata, "version", metadata_file);
  const Json input = metadata_input(metadata, metadata_file);
  const std::vector<fs::path> files = files_to_upload(root);

  const HubClient hub(resolve_hub_target(options.hub, /*need_token=*/true, environment));
  const std::string& namespace_name = hub.target().account_id;
  const Json location = entry_location(namespace_name, name, version);
  // Metadata first: it is what creates the entry (spec §6.4).
  hub.post_json("/v1/registry/upload_metadata",
                {{"entry_location", location}, {"metadata", input}});

  std::size_t uploaded = 0;
  std::size_t already_there = 0;
  for (const fs::path& relative : files) {
    try {
      hub.post_file("/v1/registry/upload_file",
                    {{"namespace", namespace_name},
                     {"name", name},
                     {"version", version},
                     {"path", relative.generic_string()}},
                    root / relative);
      ++uploaded;
      out << "uploaded " << relative.generic_string() << "\n";
    } catch (const HubError& error) {
      // Files are write-once: a re-run skips what is there, as the nearai CLI does.
      if (error.status() != 400 || error.detail().find("already exists") == std::string::npos) {
        throw;
      }
      ++already_there;
      out << "already there " << relative.generic_string() << "\n";
    }
  }
  out << namespace_name << "/" << name << "/" << version << ": " << uploaded << " uploaded, "
      << already_there << " already there\n";
}

// "namespace/name/version" → its three parts.
std::vector<std::string> split_location(const std::string& text) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (true) {
    const std::size_t slash = text.find('/', start);
    parts.push_back(text.substr(start, slash - start));
    if (slash == std::string::npos) break;
    start = slash + 1;
  }
  if (parts.size() != 3 || std::any_of(parts.begin(), parts.end(),
                                       [](const std::string& part) { return part.empty(); })) {
    throw CommandError("expected NAMESPACE/NAME/VERSION, got '" + text + "'");
  }
  return parts;
}

// A file name from the hub, refused when it would land outside the download directory.
fs::path safe_relative_path(const std::string& filename) {
  const fs::path path = fs::path(filename).lexically_normal();
  if (filename.empty() || path.is_absolute() || path.empty() || *path.begin() == "..") {
    throw CommandError("the hub listed an unsafe file name: '" + filename + "'");
  }
  return path;
}

void run_download(const DownloadOptions& options, std::ostream& out,
                  const EnvironmentLookup& environment) {
  const std::vector<std::string> parts = split_location(options.location);
  const HubClient hub(resolve_hub_target(options.hub, /*need_token=*/false, environment));
  const Json metadata =
      hub.post_json("/v1/registry/download_metadata",
                    {{"entry_location", entry_location(parts[0], parts[1], parts[2])}});
  // `latest` comes back as the real version; the files are read from that version, so that one
  // published meanwhile cannot mix into the download, and the default folder is named after it.
  const std::string version = metadata.value("version", parts[2]);
  const Json location = entry_location(parts[0], parts[1], version);
  const Json files = hub.post_json("/v1/registry/list_files", {{"entry_location", location}});

  const fs::path root = options.directory.empty() ? fs::path(parts[0]) / parts[1] / version
                                                  : fs::path(options.directory);
  if (fs::exists(root / "metadata.json") && !options.force) {
    throw CommandError(root.string() + " already holds an entry; use --force to overwrite it");
  }
  fs::create_directories(root);
  std::ofstream(root / "metadata.json") << metadata.dump(2) << "\n";

  std::size_t count = 0;
  for (const Json& file : files) {
    const std::string filename = file.value("filename", "");
    const fs::path relative = safe_relative_path(filename);
    hub.download("/v1/registry/download_file", {{"entry_location", location}, {"path", filename}},
                 root / relative);
    ++count;
  }
  out << parts[0] << "/" << parts[1] << "/" << version << ": " << count << " files in "
      << root.string() << "\n";
}

void run_list(const ListOptions& options, std::ostream& out, const EnvironmentLookup& environment) {
  const HubClient hub(resolve_hub_target(options.hub, /*need_token=*/false, environment));
  const Json entries =
      hub.post_query("/v1/registry/list_entries",
                     {{"namespace", options.namespace_filter},
                      {"category", options.category},
                      {"tags", options.tags},
                      {"total", std::to_string(options.total)},
                      {"offset", std::to_string(options.offset)},
                      {"show_hidden", options.show_hidden ? "true" : "false"},
                      {"show_latest_version", options.all_versions ? "false" : "true"},
                      {"starred_by", options.starred_by}});
  if (options.json) {
    out << entries.dump(2) << "\n";
    return;
  }
  for (const Json& entry : entries) {
    out << entry.value("namespace", "") << "/" << entry.value("name", "") << "/"
        << entry.value("version", "") << "\t" << entry.value("category", "") << "\t"
        << entry.value("num_stars", 0) << " stars\t" << entry.value("description", "") << "\n";
  }
}

void add_hub_options(CLI::App* command, HubOptions& hub) {
  command->add_option("--hub-url", hub.hub_url,
                      "Hub base URL (default: $NEARHUB_URL, the nearai CLI's api_url, or "
                      "http://127.0.0.1:8081)");
  command
      ->add_option("--credentials", hub.credentials_file,
                   "NEAR credentials JSON to sign a token with (default: the nearai CLI's login)")
      ->check(CLI::ExistingFile);
}

}  // namespace

void add_registry_command(CLI::App& app, std::ostream& out, EnvironmentLookup environment) {
  CLI::App* registry = app.add_subcommand("registry", "Publish, fetch and browse registry entries");
  registry->require_subcommand(1);

  auto upload = std::make_shared<UploadOptions>();
  CLI::App* upload_command =
      registry->add_subcommand("upload", "Publish DIR (metadata.json + files) under your account");
  upload_command->add_option("DIR", upload->directory, "Entry directory")
      ->required()
      ->check(CLI::ExistingDirectory);
  add_hub_options(upload_command, upload->hub);
  upload_command->callback([upload, &out, environment] { run_upload(*upload, out, environment); });

  auto download = std::make_shared<DownloadOptions>();
  CLI::App* download_command =
      registry->add_subcommand("download", "Fetch an entry's metadata.json and files");
  download_command
      ->add_option("LOCATION", download->location, "NAMESPACE/NAME/VERSION (VERSION may be latest)")
      ->required();
  download_command->add_option("DIR", download->directory,
                               "Destination (default: NAMESPACE/NAME/VERSION here)");
  download_command->add_flag("--force", download->force, "Overwrite an earlier download");
  add_hub_options(download_command, download->hub);
  download_command->callback(
      [download, &out, environment] { run_download(*download, out, environment); });

  auto list = std::make_shared<ListOptions>();
  CLI::App* list_command = registry->add_subcommand("list", "List entries, newest first");
  list_command->add_option("--namespace", list->namespace_filter, "Only this namespace");
  list_command->add_option("--category", list->category, "Only this category (agent, model...)");
  list_command->add_option("--tags", list->tags, "Comma-separated tags an entry must all carry");
  list_command->add_option("--total", list->total, "Page size")->capture_default_str();
  list_command->add_option("--offset", list->offset, "Entries to skip")->capture_default_str();
  list_command->add_flag("--show-hidden", list->show_hidden, "Include hidden entries");
  list_command->add_flag("--all-versions", list->all_versions,
                         "Every version, not only the latest of each entry");
  list_command->add_option("--starred-by", list->starred_by, "Only entries this account starred");
  list_command->add_flag("--json", list->json, "Print the hub's JSON answer");
  add_hub_options(list_command, list->hub);
  list_command->callback([list, &out, environment] { run_list(*list, out, environment); });
}

}  // namespace nearhub::cli
