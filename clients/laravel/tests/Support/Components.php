<?php

declare(strict_types=1);

namespace Aktina\MlLaravel\Tests\Support;

use Aktina\MlLaravel\AktinaMlServiceProvider;
use Illuminate\View\Compilers\BladeCompiler;

/**
 * Test-only stand-in for Livewire's @livewire directive: constructs the kit's component,
 * mounts it, sets the public properties a round trip would set, and renders its view.
 */
final class Components
{
    public static function registerDirective(BladeCompiler $blade): void
    {
        $blade->directive('livewire', static fn (string $expression): string => '<?php echo \\' . self::class . "::render({$expression}); ?>");
    }

    /** @param array<string, scalar> $properties */
    public static function render(string $name, array $properties = []): string
    {
        $component = new (AktinaMlServiceProvider::COMPONENTS[$name])();
        if (method_exists($component, 'mount')) {
            $component->mount();
        }
        foreach ($properties as $property => $value) {
            if (property_exists($component, $property)) {
                $component->{$property} = is_int($component->{$property}) ? (int) $value : (string) $value;
            }
        }

        return $component->render()->render();
    }
}
