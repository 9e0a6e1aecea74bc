using Pipeline;
using Pipeline.Host;

// ./build.sh --target=<Task> [--env=local|dev|staging|prod] [--dryrun] [--tree] [--verbosity=…]
return await new BuildHost<BuildContext, BuildLifetime>(cake => new BuildContext(cake)).RunAsync(args);
