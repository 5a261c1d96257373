<?php

declare(strict_types=1);

// Router for `php -S` (tests/Support/SummaryFront.php): GET /summary as the API will answer
// it, from a JSON fixture (AKTINA_KIT_SUMMARY_FIXTURE, read on every request: a test may
// change it), until the route lands in the local API; every other request goes to the real
// local API (AKTINA_KIT_UPSTREAM). Like the real route, /summary needs the key and a promoted
// forecast: it answers what the upstream GET /forecast answers when that is not a 200 (403,
// 503), else the fixture with the forecast's Cache-Control and an ETag of its own (304 when
// If-None-Match matches).

$upstream = rtrim((string) getenv('AKTINA_KIT_UPSTREAM'), '/');
$path = (string) parse_url($_SERVER['REQUEST_URI'], PHP_URL_PATH);

/** @return array{0: int, 1: array<string, string>, 2: string} status, headers (lower-case), body */
$forward = static function (string $method, string $url, array $headers, string $body = ''): array {
    $curl = curl_init($url);
    $received = [];
    curl_setopt_array($curl, [
        CURLOPT_CUSTOMREQUEST => $method,
        CURLOPT_HTTPHEADER => $headers,
        CURLOPT_RETURNTRANSFER => true,
        CURLOPT_TIMEOUT => 30,
        CURLOPT_HEADERFUNCTION => static function ($curl, string $line) use (&$received): int {
            if (str_contains($line, ':')) {
                [$name, $value] = explode(':', $line, 2);
                $received[strtolower(trim($name))] = trim($value);
            }

            return strlen($line);
        },
    ]);
    if ($body !== '') {
        curl_setopt($curl, CURLOPT_POSTFIELDS, $body);
    }
    $answer = curl_exec($curl);
    $status = (int) curl_getinfo($curl, CURLINFO_RESPONSE_CODE);
    if ($answer === false || $status === 0) {
        return [502, ['content-type' => 'application/json'], '{"message": "Internal server error"}'];
    }

    return [$status, $received, (string) $answer];
};

$key = 'x-api-key: ' . ($_SERVER['HTTP_X_API_KEY'] ?? '');
if ($path === '/summary' && $_SERVER['REQUEST_METHOD'] === 'GET') {
    [$status, $headers, $body] = $forward('GET', "{$upstream}/forecast?horizon_days=30&granularity=day", [$key]);
    if ($status === 200) {
        $body = (string) file_get_contents((string) getenv('AKTINA_KIT_SUMMARY_FIXTURE'));
        $etag = '"' . sha1($body) . '"';
        $headers = ['content-type' => 'application/json', 'cache-control' => $headers['cache-control'] ?? 'private, max-age=60', 'etag' => $etag];
        if (($_SERVER['HTTP_IF_NONE_MATCH'] ?? '') === $etag) {
            [$status, $body] = [304, ''];
        }
    }
} else {
    $sent = [$key];
    foreach (['HTTP_IF_NONE_MATCH' => 'If-None-Match', 'CONTENT_TYPE' => 'Content-Type'] as $server => $name) {
        if (isset($_SERVER[$server])) {
            $sent[] = "{$name}: {$_SERVER[$server]}";
        }
    }
    [$status, $headers, $body] = $forward($_SERVER['REQUEST_METHOD'], $upstream . $_SERVER['REQUEST_URI'], $sent, (string) file_get_contents('php://input'));
}
http_response_code($status);
foreach (['content-type', 'cache-control', 'etag', 'last-modified'] as $name) {
    if (isset($headers[$name])) {
        header("{$name}: {$headers[$name]}");
    }
}
echo $body;
