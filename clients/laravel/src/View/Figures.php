<?php

declare(strict_types=1);

namespace Aktina\MlLaravel\View;

/** How the summary's figures read on the page: amounts, units, changes and days, one way each. */
final class Figures
{
    /** "7.52 M", "812 k", "950": three significant figures (the API's certainty texts read the same). */
    public static function money(float $value): string
    {
        $abs = abs($value);
        [$scaled, $suffix] = match (true) {
            $abs >= 1e9 => [$value / 1e9, ' B'],
            $abs >= 1e6 => [$value / 1e6, ' M'],
            $abs >= 1e4 => [$value / 1e3, ' k'],
            default => [$value, ''],
        };
        $decimals = $suffix === '' ? 0 : max(0, 2 - (int) floor(log10(max(1.0, abs($scaled)))));

        return number_format($scaled, $decimals) . $suffix;
    }

    /** "2,271" */
    public static function units(float $value): string
    {
        return number_format(round($value));
    }

    /** A fraction as a signed percentage: "+8.6 %", "−5.9 %", "0 %"; '' when unknown. */
    public static function change(mixed $fraction): string
    {
        if (! is_int($fraction) && ! is_float($fraction)) {
            return '';
        }
        $percent = round(100 * $fraction, 1);
        $sign = $percent > 0 ? '+' : ($percent < 0 ? '−' : '');

        $decimals = abs($percent) >= 10 || $percent === 0.0 ? 0 : 1;

        return $sign . number_format(abs($percent), $decimals) . ' %';
    }

    /** The change, or "new" for something that sells now and sold nothing before (no change to measure). */
    public static function changeOrNew(mixed $fraction, mixed $previous, mixed $now): string
    {
        if ($fraction === null && (float) $previous === 0.0) {
            return (float) $now > 0 ? 'new' : '';
        }

        return self::change($fraction);
    }

    /** "up", "down" or "flat" (within half a percent), for the arrow and colour; '' when unknown. */
    public static function direction(mixed $fraction): string
    {
        if (! is_int($fraction) && ! is_float($fraction)) {
            return '';
        }

        return $fraction > 0.005 ? 'up' : ($fraction < -0.005 ? 'down' : 'flat');
    }

    /** A share as "46 %". */
    public static function share(float $fraction): string
    {
        return round(100 * $fraction) . ' %';
    }

    /** The API's "YYYY-MM-DD" as "6 Dec 2026" (a calendar day: no time zone moves it). */
    public static function day(string $iso): string
    {
        $date = \DateTimeImmutable::createFromFormat('!Y-m-d', substr($iso, 0, 10));

        return $date === false ? $iso : $date->format('j M Y');
    }

    /** "8 Sep – 6 Dec 2026", "15 Nov 2026 – 5 Jan 2027". */
    public static function span(string $start, string $end): string
    {
        $from = self::day($start);
        $to = self::day($end);
        if (substr($from, -4) === substr($to, -4)) {
            $from = substr($from, 0, -5);
        }

        return "{$from} – {$to}";
    }

    /**
     * A figure a rule or a reason rests on, in words: shares and changes as percentages, counts
     * with separators, amounts compact.
     */
    public static function figure(string $key, mixed $value): string
    {
        return match (true) {
            is_bool($value) => $value ? 'yes' : 'no',
            ! is_int($value) && ! is_float($value) => is_scalar($value) ? (string) $value : '–',
            str_contains($key, 'share') => self::share((float) $value),
            str_contains($key, 'change') => self::change($value),
            is_int($value) => number_format($value),
            default => abs($value) >= 10000 ? self::money($value) : (string) round($value, 2),
        };
    }

    /** "top5 share before" from "top5_share_before". */
    public static function label(string $key): string
    {
        return str_replace('_', ' ', $key);
    }
}
