#include "cli/commands.hpp"

int main(int argc, char** argv) { return grucast::cli::run(argc, argv); }
