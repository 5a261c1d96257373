<?php

declare(strict_types=1);

namespace Aktina\MlLaravel\Console;

use Aktina\MlLaravel\Insights;
use Illuminate\Console\Command;

/** php artisan aktina-ml:refresh — schedule it a little after the service's training time. */
final class RefreshCommand extends Command
{
    /** @var string */
    protected $signature = 'aktina-ml:refresh';

    /** @var string */
    protected $description = 'Revalidate every cached Aktina ML answer the admin page uses; says what failed';

    public function handle(Insights $insights): int
    {
        $report = $insights->refresh();
        foreach ($report->lines() as $line) {
            $this->line($line);
        }
        $failed = count($report->failures());
        if ($failed > 0) {
            $this->error("{$failed} of " . count($report->answers()) . ' entries got no fresh answer.');

            return self::FAILURE;
        }
        $this->info('All ' . count($report->answers()) . ' entries are fresh.');

        return self::SUCCESS;
    }
}
