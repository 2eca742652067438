// `redish-server [/path/to/redis.conf] [--name value ...]`, like redis-server.

import { REDIS_VERSION } from "../commands/meta/meta";
import { PersistenceError } from "../persistence/aof-setup";
import { logger } from "./log";
import { ConfigError, parseCommandLine, startServer } from "./main";

const USAGE = `Usage: redish-server [/path/to/redis.conf] [options]
       redish-server -v or --version
       redish-server -h or --help

Examples:
       redish-server (run the server with default config)
       redish-server /etc/redis/6379.conf
       redish-server --port 7777
       redish-server /etc/myredis.conf --loglevel verbose --requirepass secret
`;

export async function main(argv: string[]): Promise<void> {
  if (argv[0] === "-v" || argv[0] === "--version") {
    process.stdout.write(`Redish server v=${REDIS_VERSION} (Redis-compatible) node=${process.version}\n`);
    return;
  }
  if (argv[0] === "-h" || argv[0] === "--help") {
    process.stdout.write(USAGE);
    return;
  }
  try {
    const { file, directives } = parseCommandLine(argv);
    const running = await startServer({ configFile: file, directives });
    running.server.exitOnShutdown = true;
    logger.notice(`Redish ${REDIS_VERSION}-compatible server started, port ${running.port}, pid ${process.pid}`);
    const stop = async () => {
      logger.warning("Received SIGTERM scheduling shutdown...");
      if (!running.server.prepareShutdown(null, false)) {
        logger.warning("SIGTERM received but errors trying to shut down the server, check the logs for more information");
        return;
      }
      await running.server.shutdown(false);
    };
    process.on("SIGTERM", stop);
    process.on("SIGINT", stop);
  } catch (err) {
    if (err instanceof PersistenceError) {
      logger.warning(err.message);
      process.exit(1);
    }
    if (err instanceof ConfigError) {
      process.stderr.write(
        `\n*** FATAL CONFIG FILE ERROR (Redish, Redis ${REDIS_VERSION} compatible) ***\n${err.message}\n`,
      );
      process.exit(1);
    }
    const e = err as NodeJS.ErrnoException;
    if (e.code === "EADDRINUSE") {
      logger.warning(`Warning: Could not create server TCP listening socket: bind: Address already in use`);
      process.exit(1);
    }
    throw err;
  }
}
