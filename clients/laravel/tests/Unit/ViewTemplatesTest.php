<?php

declare(strict_types=1);

namespace Aktina\MlLaravel\Tests\Unit;

use PHPUnit\Framework\TestCase;
use RecursiveDirectoryIterator;
use RecursiveIteratorIterator;

/**
 * Livewire 3 wraps every Blade condition and loop in marker comments when it renders a
 * component. Inside a tag those comments cut the tag, and the attributes after them are lost
 * on the real page (while a plain Blade render, as in the other tests, looks fine).
 */
final class ViewTemplatesTest extends TestCase
{
    private const BLOCKS = 'if|elseif|else|endif|unless|endunless|isset|endisset|empty|endempty'
        . '|foreach|endforeach|for|endfor|forelse|endforelse|while|endwhile|switch|endswitch|include';

    public function test_no_blade_block_sits_inside_a_tag(): void
    {
        $views = new RecursiveIteratorIterator(new RecursiveDirectoryIterator(
            dirname(__DIR__, 2) . '/resources/views',
            RecursiveDirectoryIterator::SKIP_DOTS,
        ));
        $found = [];
        foreach ($views as $view) {
            $source = (string) file_get_contents($view->getPathname());
            // comments and echoes ("->" in an echo is no tag's end) do not count
            $source = (string) preg_replace(['/\{\{--.*?--\}\}/s', '/\{\{.*?\}\}|\{!!.*?!!\}/s'], ['', 'echo'], $source);
            preg_match_all('/<[a-z][^>]*>/i', $source, $tags);
            foreach ($tags[0] as $tag) {
                if (preg_match('/(?<![\w:.-])@(' . self::BLOCKS . ')\b/', $tag) === 1) {
                    $found[] = $view->getFilename() . ': ' . $tag;
                }
            }
        }

        self::assertSame([], $found);
    }
}
