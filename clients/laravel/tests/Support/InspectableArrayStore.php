<?php

declare(strict_types=1);

namespace Aktina\MlLaravel\Tests\Support;

use Illuminate\Cache\ArrayStore;

/** Laravel's array cache store, with a look at which keys it holds. */
final class InspectableArrayStore extends ArrayStore
{
    /** @return list<string> */
    public function keys(): array
    {
        return array_keys($this->storage);
    }
}
