<?php

declare(strict_types=1);

namespace Aktina\MlLaravel\Tests\Support;

/**
 * A real TCP socket that accepts connections and never answers: a service that hangs, so
 * a request runs into its timeout. Counts the connections (one per attempt).
 */
final class SilentServer
{
    /** @var resource */
    private $socket;

    /** @var list<resource> */
    private array $held = [];

    public readonly string $url;

    public function __construct()
    {
        $this->socket = stream_socket_server('tcp://127.0.0.1:0');
        stream_set_blocking($this->socket, false);
        $this->url = 'http://' . stream_socket_get_name($this->socket, false);
    }

    /** Connections made so far (the kernel queues them; accepting here only counts). */
    public function connections(): int
    {
        while (($client = @stream_socket_accept($this->socket, 0)) !== false) {
            $this->held[] = $client;
        }

        return count($this->held);
    }

    public function __destruct()
    {
        foreach ($this->held as $client) {
            fclose($client);
        }
        fclose($this->socket);
    }
}
