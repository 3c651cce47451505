"""The editors' commands, one module each, with add_arguments(parser) and run(args) -> exit code.

sitegen/cli.py builds the parser from them (every command's module is imported for it: keep
their imports light, the pipeline is imported when a command runs) and maps errors to exit codes.
"""
