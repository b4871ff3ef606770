// Command pulumi-language-python puts the Python language host of Pulumi SDK
// v3.79.0 (built beside it as pulumi-language-python-upstream) behind the
// language protocol of the current CLI.
//
// The host became a module of its own in v3.80.0 and the Go module proxy these
// machines reach serves none of its versions, so the last release that shipped
// it inside the sdk module is used. It runs programs as the current host does
// (the same exec script, the same arguments), but it predates the way current
// CLIs start policy packs: RunPlugin requests no longer carry a program path,
// only ProgramInfo. This adapter forwards every call to the upstream host and
// answers RunPlugin for policy packs itself, with the command line the current
// host uses: python -u -m pulumi.policy <engine-address> <pack-directory>.
package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"

	pbempty "google.golang.org/protobuf/types/known/emptypb"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"

	"github.com/pulumi/pulumi/sdk/v3/go/common/util/rpcutil"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
)

type adapter struct {
	pulumirpc.UnimplementedLanguageRuntimeServer
	upstream pulumirpc.LanguageRuntimeClient
}

func (a *adapter) GetRequiredPlugins(ctx context.Context, req *pulumirpc.GetRequiredPluginsRequest,
) (*pulumirpc.GetRequiredPluginsResponse, error) {
	return a.upstream.GetRequiredPlugins(ctx, req)
}

func (a *adapter) Run(ctx context.Context, req *pulumirpc.RunRequest) (*pulumirpc.RunResponse, error) {
	return a.upstream.Run(ctx, req)
}

func (a *adapter) GetPluginInfo(ctx context.Context, req *pbempty.Empty) (*pulumirpc.PluginInfo, error) {
	return a.upstream.GetPluginInfo(ctx, req)
}

func (a *adapter) About(ctx context.Context, req *pulumirpc.AboutRequest) (*pulumirpc.AboutResponse, error) {
	return a.upstream.About(ctx, req)
}

func (a *adapter) GetProgramDependencies(ctx context.Context, req *pulumirpc.GetProgramDependenciesRequest,
) (*pulumirpc.GetProgramDependenciesResponse, error) {
	return a.upstream.GetProgramDependencies(ctx, req)
}

// InstallDependencies does nothing: the engine tests prepare the environment
// themselves, and nothing may be downloaded.
func (a *adapter) InstallDependencies(*pulumirpc.InstallDependenciesRequest,
	grpc.ServerStreamingServer[pulumirpc.InstallDependenciesResponse],
) error {
	return nil
}

// python is the interpreter of a program or pack: its `virtualenv` option when
// set (relative to its directory), else python3 from PATH.
func python(info *pulumirpc.ProgramInfo) string {
	if venv, ok := info.GetOptions().AsMap()["virtualenv"].(string); ok && venv != "" {
		if !filepath.IsAbs(venv) {
			venv = filepath.Join(info.GetProgramDirectory(), venv)
		}
		return filepath.Join(venv, "bin", "python")
	}
	return "python3"
}

func (a *adapter) RunPlugin(req *pulumirpc.RunPluginRequest, server pulumirpc.LanguageRuntime_RunPluginServer) error {
	if req.GetKind() != "analyzer" {
		return errors.New("this language host runs Python policy packs only")
	}
	info := req.GetInfo()
	args := append([]string{"-u", "-m", "pulumi.policy"}, req.GetArgs()...)
	args = append(args, info.GetProgramDirectory())
	cmd := exec.CommandContext(server.Context(), python(info), args...)
	cmd.Dir = info.GetProgramDirectory()
	cmd.Env = req.GetEnv()
	closer, stdout, stderr, err := rpcutil.MakeRunPluginStreams(server, false)
	if err != nil {
		return err
	}
	defer closer.Close()
	cmd.Stdout, cmd.Stderr = stdout, stderr
	if err := cmd.Run(); err != nil {
		var exitErr *exec.ExitError
		if errors.As(err, &exitErr) {
			if status, ok := exitErr.Sys().(syscall.WaitStatus); ok {
				return server.Send(&pulumirpc.RunPluginResponse{
					Output: &pulumirpc.RunPluginResponse_Exitcode{Exitcode: int32(status.ExitStatus())},
				})
			}
		}
		return fmt.Errorf("could not run the policy pack: %w", err)
	}
	return closer.Close()
}

// startUpstream starts the upstream host with our arguments and returns the
// address it listens on (the first line it prints).
func startUpstream(args []string) (string, *exec.Cmd, error) {
	self, err := os.Executable()
	if err != nil {
		return "", nil, err
	}
	cmd := exec.Command(filepath.Join(filepath.Dir(self), "pulumi-language-python-upstream"), args...)
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		return "", nil, err
	}
	if err := cmd.Start(); err != nil {
		return "", nil, err
	}
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		return "", nil, fmt.Errorf("the upstream language host printed no port: %w", err)
	}
	return "127.0.0.1:" + strings.TrimSpace(line), cmd, nil
}

func main() {
	addr, upstream, err := startUpstream(os.Args[1:])
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	defer func() { _ = upstream.Process.Kill() }()
	conn, err := grpc.NewClient(addr, grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	host := &adapter{upstream: pulumirpc.NewLanguageRuntimeClient(conn)}
	handle, err := rpcutil.ServeWithOptions(rpcutil.ServeOptions{
		Init: func(srv *grpc.Server) error {
			pulumirpc.RegisterLanguageRuntimeServer(srv, host)
			return nil
		},
	})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Printf("%d\n", handle.Port)
	if err := <-handle.Done; err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
